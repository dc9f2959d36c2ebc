/**
 * The one typed map of messages between the extension's pages (popup, options, content script) and the
 * background. Handlers are registered in entrypoints/background/messages.ts; pages call `request()` below.
 * Errors cross the boundary as data and are rethrown at the caller as `RequestError`.
 */
import type { CapturedLoginFailed, CapturedLoginOk } from './captured-login';
import type { Settings } from './settings';

export type PublicLogin = (Omit<CapturedLoginOk, 'samlResponse'> & { firstSync?: FirstSync }) | CapturedLoginFailed;

/** Accounts and the IdP issuer of a login that were never synced from before: the popup says so before a first sync. */
export interface FirstSync {
  accounts: string[];
  issuer?: string;
}

/** A sign-in posted by a page whose origin the person has not confirmed: never used until they say so. */
export interface PendingSignIn {
  /** `https://host` */
  origin: string;
  /** `host`, for the sentence. */
  host: string;
  /** The accounts its roles belong to. */
  accounts: string[];
}

/** What an import would change, listed for the person to confirm before anything is saved. */
export interface ImportPreview {
  /** One line per change that matters for trust: STS endpoint, sign-in URL, chain targets, profile names. */
  changes: string[];
  /** A summary of the counts (mappings, chains, aliases). */
  summary: string;
  /** Hosts the extension would need a permission for (a custom STS endpoint). */
  needsAccess: string[];
  /** Ties the confirmation to exactly this file. */
  digest: string;
}

export interface HostStatus {
  /** ok: reachable and new enough; missing: not installed; outdated: too old; error: installed but failing. */
  state: 'unknown' | 'ok' | 'missing' | 'outdated' | 'error';
  /** One sentence for the person when state is not ok. */
  message?: string;
  hostVersion?: string;
  credentialsFile?: string;
  configFile?: string;
}

/** A profile this extension manages in ~/.aws (never any secret). */
export interface ManagedProfile {
  profile: string;
  /** 'saml': keys from AssumeRoleWithSAML; 'chained': keys from AssumeRole; 'chained-config': config only. */
  kind: 'saml' | 'chained' | 'chained-config';
  roleArn?: string;
  sourceProfile?: string;
  region?: string;
  /** ISO 8601; none for config-only chained profiles (the CLI refreshes them itself). */
  expiration?: string;
  /** Served on demand by credential_process (no keys in ~/.aws/credentials). */
  credentialProcess?: boolean;
}

export interface RoleSyncState {
  roleArn: string;
  profile: string;
  status: 'syncing' | 'ok' | 'error';
  /** ISO 8601, when ok. */
  expiration?: string;
  /** One sentence of what went wrong and what to do, when error. */
  error?: string;
  /** Credentials are held in session memory, so "Copy as environment variables" works (also without the host). */
  copyAvailable?: boolean;
  /** The profile exists in ~/.aws and was not written by aws-saml-sync (or holds long-term keys): ask before replacing. */
  needsConfirmation?: boolean;
}

/** Silent refresh, as the popup and options page show it (no secrets). */
export interface RefreshView {
  /** The person turned refresh on and a sign-in URL is set. */
  enabled: boolean;
  /** Profiles refresh keeps fresh (auto-synced mappings and the chains with keys hanging off them). */
  profiles: string[];
  /** Per profile: ISO time of its next refresh; undefined when it waits for the person (or has expired). */
  next: Record<string, string | undefined>;
  /** The IdP wants the person: one sentence, and the popup offers "Sign in". */
  needsYou?: string;
  /** The last refresh failed for another reason (offline, timeout, an HTTP error): it is retried by itself. */
  lastFailure?: string;
}

export interface PopupState {
  login?: PublicLogin;
  settings: Settings;
  host: HostStatus;
  profiles: ManagedProfile[];
  /** Latest sync outcome per role ARN, for this browser session. */
  roleSync: Record<string, RoleSyncState>;
  /** Where "Sign in" goes, when configured. */
  signInUrl?: string;
  /** Whether the last automatic sync failed (badge shows "!"), with its sentence. */
  lastAutoSyncError?: string;
  /** A sign-in from an origin the person has not confirmed. */
  pendingSignIn?: PendingSignIn;
  /** Sentences about administrator presets that could not be used (they are ignored). */
  managedProblems?: string[];
  /** Silent refresh (undefined when the background does not offer it). */
  refresh?: RefreshView;
}

export interface RequestMap {
  getState: { req: Record<string, never>; res: PopupState };
  /** `replaceExisting`: the person confirmed that an existing section of that name (not ours, or long-term keys) may be replaced. */
  syncRole: { req: { roleArn: string; profile: string; region?: string; replaceExisting?: boolean }; res: RoleSyncState };
  /** Shell `export` lines for a profile synced in this browser session; the popup copies them, never shows them. */
  copyEnv: { req: { profile: string }; res: { text: string } };
  saveSettings: { req: { settings: unknown }; res: Settings };
  /** What importing `json` would change; nothing is saved. */
  previewImport: { req: { json: string }; res: ImportPreview };
  /** Applies an import the person confirmed: `digest` is the preview's, so only what was shown is saved. */
  importSettings: { req: { json: string; digest: string }; res: Settings };
  exportSettings: { req: Record<string, never>; res: { json: string } };
  openSignIn: { req: Record<string, never>; res: { opened: boolean } };
  checkHost: { req: Record<string, never>; res: HostStatus };
  removeProfile: { req: { profile: string }; res: { removed: boolean } };
  /** The person's answer to "This sign-in came from <host>, use sign-ins from there?". */
  answerPendingSignIn: { req: { origin: string; trust: boolean }; res: { trusted: boolean } };
  /** Turns auto-sync of a remembered mapping on or off (the person's choice; a first sync never turns it on). */
  setAutoSync: { req: { roleArn: string; autoSync: boolean }; res: Settings };
  /** Refresh now through the IdP session, the way the schedule does (all refreshed profiles at once). */
  refreshNow: { req: { profile?: string }; res: { ok: boolean; message?: string } };
  /** Opens the AWS console signed in as this profile (federation sign-in token). */
  openConsole: { req: { profile: string }; res: { opened: boolean } };
  /** From the content script on AWS's role chooser page: account id -> account name. */
  rememberAliases: { req: { aliases: Record<string, string> }; res: { saved: number } };
  /**
   * From the content script on AWS's role chooser page: the SAMLResponse in its form, for when the webRequest
   * listener missed that login. `referrer` (the page that posted to AWS) decides whether it counts, as for a capture.
   * The page's account names come with it (as for rememberAliases), taken after the sign-in: sent apart, they could
   * reach the background before any capture of that sign-in and find no login to belong to.
   */
  offerSignIn: { req: { samlResponse: string; url: string; referrer: string; aliases?: Record<string, string> }; res: { taken: boolean } };
}

/** Who may send a request: the extension's own pages, or the content script on AWS's role chooser page. */
export type SenderKind = 'page' | 'content-script';

/**
 * Each request type and who may send it. The content script runs beside a web page (AWS's), so it may send
 * account names and nothing else: no secrets, no settings, no files.
 */
export const REQUEST_SENDERS: { readonly [K in RequestType]: readonly SenderKind[] } = {
  getState: ['page'],
  syncRole: ['page'],
  copyEnv: ['page'],
  saveSettings: ['page'],
  previewImport: ['page'],
  importSettings: ['page'],
  exportSettings: ['page'],
  openSignIn: ['page'],
  checkHost: ['page'],
  removeProfile: ['page'],
  answerPendingSignIn: ['page'],
  setAutoSync: ['page'],
  refreshNow: ['page'],
  openConsole: ['page'],
  rememberAliases: ['content-script'],
  offerSignIn: ['content-script'],
};

export const NOT_ALLOWED = 'This part of the extension may not ask for that.';

export type RequestType = keyof RequestMap;

export interface RequestEnvelope<K extends RequestType = RequestType> {
  kind: 'request';
  type: K;
  body: RequestMap[K]['req'];
}

export type ResponseEnvelope<K extends RequestType = RequestType> =
  | { ok: true; body: RequestMap[K]['res'] }
  | { ok: false; error: { name: string; message: string } };

/** Background -> pages: something changed, read the state again. */
export interface StateChangedEvent {
  kind: 'event';
  type: 'state-changed';
  state: PopupState;
}

export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    message: string,
    readonly causeName: string,
  ) {
    super(message);
  }
}

export function isRequestEnvelope(m: unknown): m is RequestEnvelope {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'request' && typeof (m as { type?: unknown }).type === 'string';
}

export function isStateChangedEvent(m: unknown): m is StateChangedEvent {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'event' && (m as { type?: unknown }).type === 'state-changed';
}

export type SendMessage = (message: unknown) => Promise<unknown>;

/** Send one request to the background and unwrap its answer; `send` is `browser.runtime.sendMessage`. */
export async function request<K extends RequestType>(
  send: SendMessage,
  type: K,
  body: RequestMap[K]['req'],
): Promise<RequestMap[K]['res']> {
  const envelope: RequestEnvelope<K> = { kind: 'request', type, body };
  const answer = (await send(envelope)) as ResponseEnvelope<K> | undefined;
  if (!answer) throw new RequestError('The extension background did not answer; reload the extension and try again.', 'NoAnswer');
  if (!answer.ok) throw new RequestError(answer.error.message, answer.error.name);
  return answer.body;
}

export type RequestHandlers = { [K in RequestType]: (body: RequestMap[K]['req']) => Promise<RequestMap[K]['res']> };
