/**
 * Shell `export` lines for a set of credentials, for "Copy as environment variables". Pure. The text holds
 * secrets: it goes to the clipboard only, never on screen or into a log.
 */

export interface ExportableCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date | string;
}

/** POSIX single-quoting: safe for any value in sh, bash and zsh. */
function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function envExportLines(creds: ExportableCredentials, options: { region?: string } = {}): string {
  const expiration = typeof creds.expiration === 'string' ? creds.expiration : creds.expiration.toISOString();
  const vars: [string, string][] = [
    ['AWS_ACCESS_KEY_ID', creds.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', creds.secretAccessKey],
    ['AWS_SESSION_TOKEN', creds.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', expiration],
  ];
  if (options.region) vars.push(['AWS_REGION', options.region], ['AWS_DEFAULT_REGION', options.region]);
  return `${vars.map(([k, v]) => `export ${k}=${shQuote(v)}`).join('\n')}\n`;
}
