/**
 * What importing a settings file would change, in sentences (catalogue keys) the person confirms before anything is saved. A settings
 * file from someone else decides where the assertion goes (the STS endpoint), whose sign-ins count (the sign-in
 * URL) and which roles land under which names (chains, mappings): those are listed one by one. Pure.
 */
import { parseStsEndpoint } from './aws-endpoints';
import { localized, type LocalizedText, type MessageKey } from './localized-text';
import type { ChainedProfile, ProfileMapping, Settings } from './settings';
import { signInUrlOf } from './settings';

export interface ImportChanges {
  /** One catalogue sentence per change; the background words them for the preview. */
  changes: LocalizedText[];
  summary: LocalizedText;
  /** Custom STS hosts the import would send to, for the permission the Apply click asks for. */
  needsAccess: string[];
}

/** "before → after" of a setting that may be unset on either side: one sentence for each case. */
function fromTo(
  keys: { both: MessageKey; set: MessageKey; cleared: MessageKey },
  before: string | undefined,
  after: string | undefined,
): LocalizedText {
  if (before && after) return localized(keys.both, { before, after });
  return after ? localized(keys.set, { after }) : localized(keys.cleared, { before: before ?? '' });
}

export function describeImport(current: Settings, incoming: Settings): ImportChanges {
  const changes: LocalizedText[] = [];

  if (current.stsEndpoint !== incoming.stsEndpoint) {
    changes.push(fromTo({ both: 'import.stsEndpoint', set: 'import.stsEndpointSet', cleared: 'import.stsEndpointCleared' }, current.stsEndpoint, incoming.stsEndpoint));
  }
  const signInBefore = signInUrlOf(current);
  const signInAfter = signInUrlOf(incoming);
  if (signInBefore !== signInAfter) {
    changes.push(fromTo({ both: 'import.signInUrl', set: 'import.signInUrlSet', cleared: 'import.signInUrlCleared' }, signInBefore, signInAfter));
  }
  if (current.defaultRegion !== incoming.defaultRegion) {
    changes.push(localized('import.defaultRegion', { before: current.defaultRegion, after: incoming.defaultRegion }));
  }

  const mappingsBefore = new Map(current.mappings.map((m) => [m.roleArn, m]));
  for (const m of incoming.mappings) changes.push(...mappingChange(mappingsBefore.get(m.roleArn), m));
  const mappingsAfter = new Set(incoming.mappings.map((m) => m.roleArn));
  for (const m of current.mappings) {
    if (!mappingsAfter.has(m.roleArn)) changes.push(localized('import.mappingRemoved', { profile: m.profile, roleArn: m.roleArn }));
  }

  const chainsBefore = new Map(current.chains.map((c) => [c.profile, c]));
  for (const c of incoming.chains) changes.push(...chainChange(chainsBefore.get(c.profile), c));
  const chainsAfter = new Set(incoming.chains.map((c) => c.profile));
  for (const c of current.chains) if (!chainsAfter.has(c.profile)) changes.push(localized('import.chainRemoved', { profile: c.profile }));

  const aliasChanges = Object.entries(incoming.accountAliases).filter(([id, name]) => current.accountAliases[id] !== name).length;
  const summary = localized('import.summary', {
    mappings: incoming.mappings.length,
    chains: incoming.chains.length,
    aliases: Object.keys(incoming.accountAliases).length,
    changed: aliasChanges,
  });
  const host = incoming.stsEndpoint ? parseStsEndpoint(incoming.stsEndpoint)?.url : undefined;
  return { changes, summary, needsAccess: host && host !== current.stsEndpoint ? [host] : [] };
}

function mappingChange(before: ProfileMapping | undefined, after: ProfileMapping): LocalizedText[] {
  const { roleArn, profile } = after;
  if (!before) return [localized(after.autoSync ? 'import.newMappingAutoSync' : 'import.newMapping', { roleArn, profile })];
  const lines: LocalizedText[] = [];
  if (before.profile !== profile) lines.push(localized('import.profileName', { roleArn, before: before.profile, after: profile }));
  if (!before.autoSync && after.autoSync) lines.push(localized('import.autoSync', { profile }));
  return lines;
}

function chainChange(before: ChainedProfile | undefined, after: ChainedProfile): LocalizedText[] {
  const { profile } = after;
  if (!before) return [localized('import.newChain', { profile, source: after.sourceProfile, roleArn: after.roleArn })];
  const lines: LocalizedText[] = [];
  if (before.roleArn !== after.roleArn) lines.push(localized('import.chainRole', { profile, before: before.roleArn, after: after.roleArn }));
  if (before.sourceProfile !== after.sourceProfile) lines.push(localized('import.chainSource', { profile, before: before.sourceProfile, after: after.sourceProfile }));
  if (before.externalId !== after.externalId) lines.push(localized('import.chainExternalId', { profile }));
  return lines;
}
