/**
 * The one typed map of messages between the extension's pages (popup, options, content script) and the
 * background. Handlers are registered in entrypoints/background/messages.ts; pages call `request()` below.
 * Errors cross the boundary as data and are rethrown at the caller as `RequestError`.
 */
import type { CapturedLoginFailed, CapturedLoginOk } from './captured-login';
import type { Settings } from './settings';

export type PublicLogin = Omit<CapturedLoginOk, 'samlResponse'> | CapturedLoginFailed;

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
}

export interface RequestMap {
  getState: { req: Record<string, never>; res: PopupState };
  /** `replaceExisting`: the person confirmed that an existing section of that name (not ours, or long-term keys) may be replaced. */
  syncRole: { req: { roleArn: string; profile: string; region?: string; replaceExisting?: boolean }; res: RoleSyncState };
  /** Shell `export` lines for a profile synced in this browser session; the popup copies them, never shows them. */
  copyEnv: { req: { profile: string }; res: { text: string } };
  saveSettings: { req: { settings: unknown }; res: Settings };
  importSettings: { req: { json: string }; res: Settings };
  exportSettings: { req: Record<string, never>; res: { json: string } };
  openSignIn: { req: Record<string, never>; res: { opened: boolean } };
  checkHost: { req: Record<string, never>; res: HostStatus };
  removeProfile: { req: { profile: string }; res: { removed: boolean } };
  /** From the content script on AWS's role chooser page: account id -> account name. */
  rememberAliases: { req: { aliases: Record<string, string> }; res: { saved: number } };
}

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
