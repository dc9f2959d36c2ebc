/**
 * The host's three file operations: write, list and remove the profiles it manages, in both AWS files, as one
 * locked operation each. Everything is decided on the texts first; the files are written only when all is well.
 */
import type { ConfigKeys, ListedProfile, ProfileWriteRequest, WriteProfilesBody } from '../utils/host-protocol';
import { configHeader, credentialsHeader, readSections, removeSection, setSectionKeys } from './aws-ini';
import { HostFailure, readText, withAwsLock, writeTextAtomic, type AwsPaths, type FileSystemOps } from './aws-files';

export const MARKER_KEY = 'x_aws_saml_sync';
export const ROLE_KEY = 'x_aws_saml_sync_role_arn';
export const EXPIRY_KEY = 'x_security_token_expires';

const CONFIG_KEYS: (keyof ConfigKeys)[] = ['region', 'source_profile', 'role_arn', 'role_session_name', 'duration_seconds', 'external_id'];

interface Texts {
  credentials: string;
  config: string;
}

/** Why this existing section may not be overwritten without the person's say-so, or undefined. */
function guardProblem(keys: Record<string, string> | undefined, file: string, profile: string): string | undefined {
  if (!keys) return undefined;
  if (/^AKIA/.test(keys.aws_access_key_id ?? '')) {
    return `Profile "${profile}" in ${file} holds long-term access keys; pick another profile name, or confirm that it may be replaced.`;
  }
  if (!keys[MARKER_KEY]) {
    return `Profile "${profile}" in ${file} was not written by aws-saml-sync; pick another profile name, or confirm that it may be replaced.`;
  }
  return undefined;
}

function applyWrite(texts: Texts, p: ProfileWriteRequest, legacy: boolean): Texts {
  let { credentials, config } = texts;
  const configKeys: Record<string, string | undefined> = { [MARKER_KEY]: p.kind, [ROLE_KEY]: p.roleArn };
  for (const k of CONFIG_KEYS) configKeys[k] = p.config[k];
  // A saml/chained profile's config section must not chain: its own keys are in the credentials file.
  config = setSectionKeys(config, configHeader(p.profile), configKeys);
  if (p.credentials) {
    credentials = setSectionKeys(credentials, credentialsHeader(p.profile), {
      aws_access_key_id: p.credentials.accessKeyId,
      aws_secret_access_key: p.credentials.secretAccessKey,
      aws_session_token: p.credentials.sessionToken,
      aws_security_token: legacy ? p.credentials.sessionToken : undefined,
      [EXPIRY_KEY]: p.credentials.expiration,
      [MARKER_KEY]: p.kind,
      [ROLE_KEY]: p.roleArn,
    });
  } else {
    // chained-config: keys in the credentials file would win over source_profile, so drop our earlier ones.
    const existing = readSections(credentials).get(credentialsHeader(p.profile));
    if (existing?.[MARKER_KEY]) credentials = removeSection(credentials, credentialsHeader(p.profile));
  }
  return { credentials, config };
}

export async function writeProfiles(paths: AwsPaths, body: WriteProfilesBody, fs?: FileSystemOps): Promise<string[]> {
  const confirmed = new Set(body.confirmOverwrite ?? []);
  return withAwsLock(paths, async () => {
    const before: Texts = { credentials: await readText(paths.credentialsFile), config: await readText(paths.configFile) };
    const credSections = readSections(before.credentials);
    const configSections = readSections(before.config);
    body.profiles.forEach((p, i) => {
      if (confirmed.has(p.profile)) return;
      const problem =
        guardProblem(credSections.get(credentialsHeader(p.profile)), paths.credentialsFile, p.profile) ??
        guardProblem(configSections.get(configHeader(p.profile)), paths.configFile, p.profile);
      if (problem) throw new HostFailure('NeedsConfirmation', problem, `profiles.${i}.profile`);
    });
    let after = before;
    for (const p of body.profiles) after = applyWrite(after, p, body.legacySecurityToken ?? false);
    await commit(paths, before, after, fs);
    return body.profiles.map((p) => p.profile);
  });
}

/** Write what changed; if the config file fails after the credentials file was written, put that one back. */
async function commit(paths: AwsPaths, before: Texts, after: Texts, fs?: FileSystemOps): Promise<void> {
  const credentialsChanged = after.credentials !== before.credentials;
  if (credentialsChanged) await writeTextAtomic(paths.credentialsFile, after.credentials, fs);
  if (after.config === before.config) return;
  try {
    await writeTextAtomic(paths.configFile, after.config, fs);
  } catch (error) {
    if (credentialsChanged) await writeTextAtomic(paths.credentialsFile, before.credentials).catch(() => undefined);
    throw error;
  }
}

export async function listProfiles(paths: AwsPaths): Promise<ListedProfile[]> {
  const credentials = readSections(await readText(paths.credentialsFile));
  const config = readSections(await readText(paths.configFile));
  const out = new Map<string, ListedProfile>();
  for (const [header, keys] of credentials) {
    if (!keys[MARKER_KEY]) continue;
    out.set(header, {
      profile: header,
      kind: asKind(keys[MARKER_KEY]),
      roleArn: keys[ROLE_KEY],
      expiration: keys[EXPIRY_KEY],
    });
  }
  for (const [header, keys] of config) {
    if (!keys[MARKER_KEY]) continue;
    const profile = header === 'default' ? 'default' : header.replace(/^profile\s+/, '');
    const listed = out.get(profile) ?? { profile, kind: asKind(keys[MARKER_KEY]), roleArn: keys[ROLE_KEY] };
    out.set(profile, {
      ...listed,
      region: keys.region ?? listed.region,
      sourceProfile: keys.source_profile ?? listed.sourceProfile,
      roleArn: listed.roleArn ?? keys[ROLE_KEY],
    });
  }
  return [...out.values()].map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as ListedProfile);
}

function asKind(value: string | undefined): ListedProfile['kind'] {
  return value === 'chained' || value === 'chained-config' ? value : 'saml';
}

export async function removeProfiles(paths: AwsPaths, profiles: string[], fs?: FileSystemOps): Promise<string[]> {
  return withAwsLock(paths, async () => {
    const before: Texts = { credentials: await readText(paths.credentialsFile), config: await readText(paths.configFile) };
    let after = before;
    const removed = new Set<string>();
    const credSections = readSections(before.credentials);
    const configSections = readSections(before.config);
    for (const profile of profiles) {
      if (credSections.get(credentialsHeader(profile))?.[MARKER_KEY]) {
        after = { ...after, credentials: removeSection(after.credentials, credentialsHeader(profile)) };
        removed.add(profile);
      }
      if (configSections.get(configHeader(profile))?.[MARKER_KEY]) {
        after = { ...after, config: removeSection(after.config, configHeader(profile)) };
        removed.add(profile);
      }
    }
    await commit(paths, before, after, fs);
    return [...removed];
  });
}

