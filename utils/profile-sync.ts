/**
 * One sync: SAML roles -> STS credentials -> chained roles -> one write of every profile through the host.
 * No browser API: STS calls and the host writer are passed in, so the same code runs in the service worker, in
 * unit tests with fakes and in integration tests against moto and the real host.
 */
import { follows, SESSION_NAME } from './aws-names';
import { mapBounded } from './bounded';
import { localized } from './localized-text';
import { PublicError } from './public-error';
import type { RoleSyncState } from './messages';
import type { ChainedProfile, Settings } from './settings';
import {
  assumeChainedRole,
  assumeRolesWithSaml,
  type BulkOptions,
  type StsCredentials,
  type StsLogin,
} from './sts';
import { chainsHangingOff, type SyncTarget } from './sync-plan';

/** One profile to write: credentials (into ~/.aws/credentials) and/or config keys (into ~/.aws/config). */
export interface ProfileWrite {
  profile: string;
  kind: 'saml' | 'chained' | 'chained-config';
  roleArn: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
  config: {
    region?: string;
    source_profile?: string;
    role_arn?: string;
    role_session_name?: string;
    duration_seconds?: string;
    external_id?: string;
  };
  /** credential-process: the host writes credential_process instead of keys and keeps the keys in its cache. */
  writeAs?: 'credential-process';
}

export interface HeldCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601 */
  expiration: string;
  roleArn: string;
  region?: string;
}

export interface ChainSyncState {
  profile: string;
  sourceProfile: string;
  roleArn: string;
  status: 'ok' | 'error';
  expiration?: string;
  error?: string;
}

export interface SyncOutcome {
  roles: RoleSyncState[];
  chains: ChainSyncState[];
  /** Credentials obtained, by profile: for "Copy as environment variables" and later chains. Secrets. */
  held: Record<string, HeldCredentials>;
  /** Set when the host could not write: one sentence; nothing was written. */
  writeError?: string;
  /** The write was refused only because existing sections need the person's confirmation. */
  needsConfirmation?: boolean;
}

export interface SyncDeps {
  writeProfiles(writes: ProfileWrite[]): Promise<unknown>;
  assumeRolesWithSaml?: typeof assumeRolesWithSaml;
  assumeChainedRole?: typeof assumeChainedRole;
  /** Words an error for the person in the UI language: the background's `errorSentence` (i18n/translate.ts). */
  describeError: (error: unknown) => string;
}

export interface SyncInput {
  /** Needed when there are targets; chains alone (after the settings changed) need none. */
  login?: StsLogin;
  targets: SyncTarget[];
  settings: Settings;
  /**
   * Credentials of profiles synced earlier in this session, for chains whose source is not in this sync; may still
   * be on its way (it is awaited only once the SAML roles are done).
   */
  heldBefore?: Record<string, HeldCredentials> | Promise<Record<string, HeldCredentials>>;
  /** Profiles that exist in ~/.aws already (synced earlier): chains hanging off them are written too. */
  existingProfiles?: string[];
  stsOptions?: BulkOptions;
}


function heldOf(creds: StsCredentials, roleArn: string, region?: string): HeldCredentials {
  return {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    expiration: creds.expiration.toISOString(),
    roleArn,
    region,
  };
}

function credentialsOf(h: HeldCredentials): NonNullable<ProfileWrite['credentials']> {
  return { accessKeyId: h.accessKeyId, secretAccessKey: h.secretAccessKey, sessionToken: h.sessionToken, expiration: h.expiration };
}

/** How a SAML role's profile is written: its keys (or credential_process, the keys then in the helper's cache) and region. */
export function samlProfileWrite(
  target: { profile: string; roleArn: string; region?: string; writeAs?: 'keys' | 'credential-process' },
  held: HeldCredentials,
): ProfileWrite {
  return {
    profile: target.profile,
    kind: 'saml',
    roleArn: target.roleArn,
    credentials: credentialsOf(held),
    config: { region: target.region },
    ...(target.writeAs === 'credential-process' ? { writeAs: 'credential-process' as const } : {}),
  };
}

/**
 * The SAML profiles to write again when the settings change how they are written (keys <-> credential_process),
 * from the credentials this session holds, so the change shows in ~/.aws at once. A mapping whose credentials are
 * not held (expired, or a browser restart since) changes at its next sync.
 */
export function rewritesForWriteAs(before: Settings, after: Settings, held: Readonly<Record<string, HeldCredentials>>): ProfileWrite[] {
  const how = (m: { writeAs?: string }) => m.writeAs ?? 'keys';
  return after.mappings.flatMap((m) => {
    const old = before.mappings.find((o) => o.roleArn === m.roleArn && o.profile === m.profile);
    const creds = held[m.profile];
    if (!old || how(old) === how(m) || !creds || creds.roleArn !== m.roleArn) return [];
    return [samlProfileWrite({ profile: m.profile, roleArn: m.roleArn, region: m.region ?? after.defaultRegion, writeAs: m.writeAs }, creds)];
  });
}

export async function syncProfiles(input: SyncInput, deps: SyncDeps): Promise<SyncOutcome> {
  const { settings } = input;
  const assumeMany = deps.assumeRolesWithSaml ?? assumeRolesWithSaml;
  const assumeChain = deps.assumeChainedRole ?? assumeChainedRole;
  const sentence = deps.describeError;
  const stsOptions: BulkOptions = {
    // STS goes to the sign-in endpoint's region (the assertion's Destination) unless the person named one for STS.
    region: settings.stsRegion,
    stsEndpoint: settings.stsEndpoint,
    maxSessionSeconds: settings.maxSessionSeconds,
    ...input.stsOptions,
  };

  const held: Record<string, HeldCredentials> = {};
  const writes: ProfileWrite[] = [];
  const roles: RoleSyncState[] = [];

  const login = input.login;
  const results =
    login && input.targets.length > 0
      ? await assumeMany(
          login,
          input.targets.map((t) => ({ roleArn: t.role.roleArn, principalArn: t.role.principalArn, maxSessionSeconds: t.durationSeconds, target: t })),
          stsOptions,
        )
      : [];
  for (const result of results) {
    const t = result.role.target;
    if (!result.ok) {
      roles.push({ roleArn: t.role.roleArn, profile: t.profile, status: 'error', error: sentence(result.error) });
      continue;
    }
    const region = t.region ?? settings.defaultRegion;
    held[t.profile] = heldOf(result.credentials, t.role.roleArn, region);
    writes.push(samlProfileWrite({ profile: t.profile, roleArn: t.role.roleArn, region, writeAs: t.writeAs }, held[t.profile]!));
    roles.push({
      roleArn: t.role.roleArn,
      profile: t.profile,
      status: 'ok',
      expiration: held[t.profile]!.expiration,
      copyAvailable: true,
    });
  }

  const chains: ChainSyncState[] = [];
  const available = { ...(await input.heldBefore), ...held };
  const sources = [...Object.keys(held), ...(input.existingProfiles ?? [])];
  // Chains whose sources are ready are assumed together (bounded), a level at a time: dev-env before what hangs off it.
  for (const level of chainLevels(chainsHangingOff(sources, settings.chains))) {
    const results = await mapBounded(level, CHAIN_CONCURRENCY, (chain) => syncChain(chain, available, settings, stsOptions, login, assumeChain, sentence));
    level.forEach((chain, i) => {
      const state = results[i]!;
      chains.push(state.state);
      if (state.write) writes.push(state.write);
      if (state.held) {
        held[chain.profile] = state.held;
        available[chain.profile] = state.held;
      }
    });
  }

  if (writes.length === 0) return { roles, chains, held };
  try {
    await deps.writeProfiles(writes);
  } catch (error) {
    const writeError = sentence(error);
    const needsConfirmation = (error as { errorName?: unknown } | null)?.errorName === 'NeedsConfirmation' || undefined;
    return {
      roles: roles.map((r) => (r.status === 'ok' ? { ...r, status: 'error', error: writeError, needsConfirmation } : r)),
      chains: chains.map((c) => (c.status === 'ok' ? { ...c, status: 'error', error: writeError } : c)),
      held,
      writeError,
      needsConfirmation,
    };
  }
  return { roles, chains, held };
}

/** Chained role calls in flight at once. */
const CHAIN_CONCURRENCY = 8;

/** Chains (sources first, as chainsHangingOff orders them) grouped so that each level only needs earlier ones. */
function chainLevels(ordered: ChainedProfile[]): ChainedProfile[][] {
  const levelOf = new Map<string, number>();
  const levels: ChainedProfile[][] = [];
  for (const chain of ordered) {
    const level = (levelOf.get(chain.sourceProfile) ?? -1) + 1;
    levelOf.set(chain.profile, level);
    (levels[level] ??= []).push(chain);
  }
  return levels;
}

async function syncChain(
  chain: ChainedProfile,
  available: Record<string, HeldCredentials>,
  settings: Settings,
  stsOptions: BulkOptions,
  login: StsLogin | undefined,
  assumeChain: typeof assumeChainedRole,
  sentence: (error: unknown) => string,
): Promise<{ state: ChainSyncState; write?: ProfileWrite; held?: HeldCredentials }> {
  const region = chain.region ?? settings.defaultRegion;
  const base = { profile: chain.profile, sourceProfile: chain.sourceProfile, roleArn: chain.roleArn };
  if (!chain.resolveNow) {
    // The CLI and SDKs assume the role themselves from source_profile, and refresh it when it expires.
    return {
      state: { ...base, status: 'ok' },
      write: {
        profile: chain.profile,
        kind: 'chained-config',
        roleArn: chain.roleArn,
        config: {
          region,
          source_profile: chain.sourceProfile,
          role_arn: chain.roleArn,
          role_session_name: chain.roleSessionName,
          duration_seconds: chain.durationSeconds?.toString(),
          external_id: chain.externalId,
        },
      },
    };
  }
  const source = available[chain.sourceProfile];
  if (!source) {
    return { state: { ...base, status: 'error', error: sentence(new PublicError(localized('sync.noSourceCredentials', { profile: chain.sourceProfile }))) } };
  }
  try {
    const creds = await assumeChain(
      { ...source, expiration: new Date(source.expiration) },
      chain.roleArn,
      {
        ...stsOptions,
        region: chain.region ?? stsOptions.region,
        samlDestination: login?.destination,
        durationSeconds: chain.durationSeconds,
        externalId: chain.externalId,
        roleSessionName: chain.roleSessionName ?? sessionNameOf(login?.roleSessionName),
      },
    );
    const held = heldOf(creds, chain.roleArn, region);
    return {
      state: { ...base, status: 'ok', expiration: held.expiration },
      held,
      write: {
        profile: chain.profile,
        kind: 'chained',
        roleArn: chain.roleArn,
        credentials: credentialsOf(held),
        config: { region },
        ...(chain.writeAs === 'credential-process' ? { writeAs: 'credential-process' as const } : {}),
      },
    };
  } catch (error) {
    return { state: { ...base, status: 'error', error: sentence(error) } };
  }
}

/** The SAML session name (often an e-mail) when it is a valid AssumeRole session name. */
function sessionNameOf(name: string | undefined): string | undefined {
  return name && follows(SESSION_NAME, name) ? name : undefined;
}
