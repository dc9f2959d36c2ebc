/**
 * The host's three file operations: write, list and remove the profiles it manages, in both AWS files, as one
 * locked operation each. Everything is decided on the texts first (plan*), the files are written only when all is
 * well (commit); the plan functions are pure, so unit and property tests run them without a disk.
 */
import type { ListedProfile, ProfileWriteRequest, WriteProfilesBody } from '../utils/host-protocol';
import { configHeader, credentialsHeader, IniDocument, type SectionEdit } from './aws-ini';
import { assertWritable, HostFailure, readText, withAwsLock, writeTextAtomic, type AwsPaths, type FileSystemOps } from './aws-files';
import type { CredentialCache } from './credential-cache';
import { credentialProcessLine } from './launcher';

/** What a credential_process write needs besides the request: the launcher command and the cache (host/credential-*.ts). */
export interface CredentialProcessDeps {
  /** The quoted program part of `credential_process = … credentials --profile NAME`; may throw UnquotablePath. */
  launcher: () => string;
  cache: CredentialCache;
  log?: (line: string) => void;
}

/** In every section the host writes: the kind of profile. Its presence is how the host knows a section is its own. */
export const MARKER_KEY = 'x_aws_saml_sync';
export const ROLE_KEY = 'x_aws_saml_sync_role_arn';
export const EXPIRY_KEY = 'x_security_token_expires';

/** Config keys a write states in full: sent ones are set, missing ones removed (from sections the host manages). */
const CHAIN_KEYS = ['source_profile', 'role_arn', 'role_session_name', 'duration_seconds', 'external_id'] as const;
/**
 * Config keys that make the CLI and SDKs take credentials from somewhere else than the credentials file; removed
 * when credentials are written (only ever from a section the host manages or the person let it replace).
 */
const SHADOWING_KEYS = ['credential_source', 'credential_process', 'web_identity_token_file', 'sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'];

export interface Texts {
  credentials: string;
  config: string;
}

interface FileNames {
  credentialsFile: string;
  configFile: string;
}

function isLongTerm(doc: IniDocument, header: string): boolean {
  return doc.section(header)?.keys.some((k) => k.lower === 'aws_access_key_id' && /^AKIA/.test(doc.valueOf(k))) ?? false;
}

/** Why this existing section may not be changed without the person's say-so, or undefined. */
function guardProblem(doc: IniDocument, header: string, file: string, profile: string): string | undefined {
  const keys = doc.keys(header);
  if (!keys) return undefined;
  if (isLongTerm(doc, header)) {
    return `Profile "${profile}" in ${file} holds long-term access keys (AKIA…), which aws-saml-sync does not overwrite unless you confirm it; pick another profile name or confirm.`;
  }
  if (!keys[MARKER_KEY]) {
    return `Profile "${profile}" in ${file} was not written by aws-saml-sync, so it is not overwritten unless you confirm it; pick another profile name or confirm.`;
  }
  return undefined;
}

/** The config section of a profile: `[profile x]`, or `[default]` (`[profile default]` when only that exists). */
function configHeaderIn(doc: IniDocument, profile: string): string {
  if (profile === 'default' && !doc.section('default') && doc.section('profile default')) return 'profile default';
  return configHeader(profile);
}

/** Pure: the new texts for a write, or a NeedsConfirmation failure naming every profile that needs it. */
export function planWrite(before: Texts, body: WriteProfilesBody, files: FileNames, launcher?: () => string): Texts {
  const credentials = new IniDocument(before.credentials);
  const config = new IniDocument(before.config);
  const confirmed = new Set(body.confirmOverwrite ?? []);
  const legacy = body.legacySecurityToken ?? false;
  const credentialEdits = new Map<string, SectionEdit>();
  const configEdits = new Map<string, SectionEdit>();
  const problems: { index: number; profile: string; message: string }[] = [];

  body.profiles.forEach((p, index) => {
    const credHeader = credentialsHeader(p.profile);
    const confHeader = configHeaderIn(config, p.profile);
    const credManaged = !!credentials.keys(credHeader)?.[MARKER_KEY];
    if (!confirmed.has(p.profile)) {
      // A chained-config write leaves an unmanaged credentials section alone, so only then is it no obstacle.
      const credProblem = p.credentials || credManaged ? guardProblem(credentials, credHeader, files.credentialsFile, p.profile) : undefined;
      const problem = credProblem ?? guardProblem(config, confHeader, files.configFile, p.profile);
      if (problem) problems.push({ index, profile: p.profile, message: problem });
    }
    const served = p.writeAs === 'credential-process';
    if (served) {
      // Keys in the credentials file would win over credential_process: the section goes (a person's own only
      // when they confirmed, checked above). The credentials themselves go to the helper's cache.
      if (credentials.keys(credHeader)) credentialEdits.set(credHeader, { delete: true });
    } else if (p.credentials) {
      credentialEdits.set(credHeader, { set: credentialKeys(p, legacy) });
    } else if (credManaged) {
      // chained-config: keys left in the credentials file would be stale secrets on disk and could shadow
      // source_profile for some tools; drop the section the host wrote earlier (never a person's own).
      credentialEdits.set(credHeader, { delete: true });
    }
    const keys = configKeys(p);
    if (served) {
      if (!launcher) throw new HostFailure('Internal', 'This aws-saml-sync helper cannot write credential_process profiles; run npm run host:install again.');
      keys.credential_process = credentialProcessLine(launcher(), p.profile);
    }
    configEdits.set(confHeader, { set: keys });
  });

  if (problems.length > 0) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (${problems.length - 1} more profile${problems.length > 2 ? 's' : ''} too)` : '';
    throw new HostFailure('NeedsConfirmation', first.message.replace(/\.$/, `${more}.`), `body.profiles.${first.index}.profile`, problems.map((x) => x.profile));
  }
  return { credentials: credentials.edit(credentialEdits), config: config.edit(configEdits) };
}

function credentialKeys(p: ProfileWriteRequest, legacy: boolean): Record<string, string | undefined> {
  const c = p.credentials!;
  return {
    aws_access_key_id: c.accessKeyId,
    aws_secret_access_key: c.secretAccessKey,
    aws_session_token: c.sessionToken,
    aws_security_token: legacy ? c.sessionToken : undefined,
    [EXPIRY_KEY]: c.expiration,
    [MARKER_KEY]: p.kind,
    [ROLE_KEY]: p.roleArn,
  };
}

function configKeys(p: ProfileWriteRequest): Record<string, string | undefined> {
  const keys: Record<string, string | undefined> = {};
  // region is set when sent and never removed: it is harmless, and the person may have set it.
  if (p.config.region) keys.region = p.config.region;
  for (const k of CHAIN_KEYS) keys[k] = p.config[k];
  if (p.credentials) for (const k of SHADOWING_KEYS) keys[k] = undefined;
  keys[MARKER_KEY] = p.kind;
  keys[ROLE_KEY] = p.roleArn;
  return keys;
}

/** Writes under the lock; returns the names written and every managed profile as the files now stand (for the reply). */
export async function writeProfiles(
  paths: AwsPaths,
  body: WriteProfilesBody,
  fs?: FileSystemOps,
  served?: CredentialProcessDeps,
): Promise<{ written: string[]; profiles: ListedProfile[] }> {
  const outcome = await withAwsLock(paths, async () => {
    const before = await readBoth(paths);
    const after = planWrite(before, body, paths, served?.launcher);
    await commit(paths, before, after, fs);
    return { written: body.profiles.map((p) => p.profile), profiles: planList(after) };
  });
  if (served) await updateCache(body, served);
  return outcome;
}

/**
 * After the files are written: credential_process profiles' credentials go to the cache (so the command-line mode
 * answers at once, also with the browser closed); profiles written as keys or config leave it. A cache that cannot
 * be written costs only the closed-browser case: it is logged, and the files stay written.
 */
async function updateCache(body: WriteProfilesBody, served: CredentialProcessDeps): Promise<void> {
  try {
    for (const p of body.profiles) {
      if (p.writeAs === 'credential-process' && p.credentials) await served.cache.write(p.profile, p.credentials, body.signInUrl);
    }
    await served.cache.remove(body.profiles.filter((p) => p.writeAs !== 'credential-process').map((p) => p.profile));
  } catch (error) {
    served.log?.(`credential_process cache not updated: ${(error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.name : 'error')}`);
  }
}

async function readBoth(paths: AwsPaths): Promise<Texts> {
  return { credentials: await readText(paths.credentialsFile), config: await readText(paths.configFile) };
}

/**
 * Write what changed, credentials first, after checking that neither file to change is read-only. If the config
 * file then fails, the credentials file is put back as it was, so a failed request leaves both files untouched.
 */
async function commit(paths: AwsPaths, before: Texts, after: Texts, fs?: FileSystemOps): Promise<void> {
  const credentialsChanged = after.credentials !== before.credentials;
  // A read-only file is refused before either file is touched (not after the credentials write, then put back).
  if (credentialsChanged) await assertWritable(paths.credentialsFile);
  if (after.config !== before.config) await assertWritable(paths.configFile);
  if (credentialsChanged) await writeTextAtomic(paths.credentialsFile, after.credentials, fs);
  if (after.config === before.config) return;
  try {
    await writeTextAtomic(paths.configFile, after.config, fs);
  } catch (error) {
    if (credentialsChanged) await writeTextAtomic(paths.credentialsFile, before.credentials, fs).catch(() => undefined);
    throw error;
  }
}

/** Pure: the profiles the host manages in these texts, sorted by name. Never a key, secret or token. */
export function planList(texts: Texts): ListedProfile[] {
  const credentials = new IniDocument(texts.credentials);
  const config = new IniDocument(texts.config);
  const out = new Map<string, ListedProfile>();
  for (const section of credentials.sections) {
    if (out.has(section.header)) continue;
    const keys = credentials.keys(section.header, LISTED_CREDENTIAL_KEYS)!;
    if (!keys[MARKER_KEY]) continue;
    out.set(section.header, compact({ profile: section.header, kind: asKind(keys[MARKER_KEY]), roleArn: keys[ROLE_KEY], expiration: keys[EXPIRY_KEY] }));
  }
  for (const section of config.sections) {
    const keys = config.keys(section.header, LISTED_CONFIG_KEYS)!;
    if (!keys[MARKER_KEY]) continue;
    const profile = section.header === 'default' ? 'default' : /^profile (.+)$/.exec(section.header)?.[1];
    if (!profile) continue;
    const listed = out.get(profile) ?? { profile, kind: asKind(keys[MARKER_KEY]) };
    out.set(
      profile,
      compact({
        ...listed,
        roleArn: listed.roleArn ?? keys[ROLE_KEY] ?? keys.role_arn,
        sourceProfile: keys.source_profile,
        region: keys.region,
        credentialProcess: keys.credential_process ? true : undefined,
      }),
    );
  }
  return [...out.values()].sort((a, b) => (a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0));
}

/** What planList reads of a section: never the keys, secrets or tokens (nor the time to copy them). */
const LISTED_CREDENTIAL_KEYS: ReadonlySet<string> = new Set([MARKER_KEY, ROLE_KEY, EXPIRY_KEY]);
const LISTED_CONFIG_KEYS: ReadonlySet<string> = new Set([MARKER_KEY, ROLE_KEY, 'role_arn', 'source_profile', 'region', 'credential_process']);

/** The profile without its empty fields. */
function compact(p: ListedProfile): ListedProfile {
  const out: Record<string, unknown> = {};
  for (const key in p) {
    const value = p[key as keyof ListedProfile];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out as unknown as ListedProfile;
}

function asKind(value: string | undefined): ListedProfile['kind'] {
  return value === 'chained' || value === 'chained-config' ? value : 'saml';
}

export async function listProfiles(paths: AwsPaths): Promise<ListedProfile[]> {
  return planList(await readBoth(paths));
}

export interface RemovePlan {
  texts: Texts;
  removed: string[];
  notManaged: string[];
}

/** Pure: remove the sections the host manages for these names; sections it did not write, or holding long-term keys, stay. */
export function planRemove(before: Texts, profiles: string[]): RemovePlan {
  const credentials = new IniDocument(before.credentials);
  const config = new IniDocument(before.config);
  const credentialEdits = new Map<string, SectionEdit>();
  const configEdits = new Map<string, SectionEdit>();
  const removed: string[] = [];
  const notManaged: string[] = [];
  for (const profile of new Set(profiles)) {
    const sections: [IniDocument, string, Map<string, SectionEdit>][] = [
      [credentials, credentialsHeader(profile), credentialEdits],
      [config, configHeaderIn(config, profile), configEdits],
    ];
    let mine = false;
    let foreign = false;
    for (const [doc, header, edits] of sections) {
      const keys = doc.keys(header);
      if (!keys) continue;
      if (keys[MARKER_KEY] && !isLongTerm(doc, header)) {
        edits.set(header, { delete: true });
        mine = true;
      } else {
        foreign = true;
      }
    }
    if (mine) removed.push(profile);
    else if (foreign) notManaged.push(profile);
  }
  return { texts: { credentials: credentials.edit(credentialEdits), config: config.edit(configEdits) }, removed, notManaged };
}

export async function removeProfiles(
  paths: AwsPaths,
  profiles: string[],
  fs?: FileSystemOps,
  cache?: CredentialCache,
): Promise<{ removed: string[]; notManaged: string[] }> {
  const result = await withAwsLock(paths, async () => {
    const before = await readBoth(paths);
    const plan = planRemove(before, profiles);
    await commit(paths, before, plan.texts, fs);
    return { removed: plan.removed, notManaged: plan.notManaged };
  });
  await cache?.remove(result.removed).catch(() => undefined);
  return result;
}
