/**
 * Shared pieces of the end-to-end journey: a sandboxed HOME with the native host installed by the project's own
 * installer, the AWS CLI and boto3 pointed at moto, and what the person checks at the end.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** Install the native host for one browser, into this HOME (and a custom manifest folder where given). */
export function installHost(home: string, browser: 'chromium' | 'firefox', manifestDir?: string): string {
  const args = ['run', '--silent', 'host:install', '--', '--browser', browser, ...(manifestDir ? ['--manifest-dir', manifestDir] : [])];
  return execFileSync('npm', args, { cwd: ROOT, env: { ...process.env, HOME: home }, encoding: 'utf8' });
}

export function awsEnv(home: string, motoEndpoint: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_ENDPOINT_URL: motoEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_DEFAULT_PROFILE: '',
  };
}

/** The real AWS CLI; resolves with stdout, rejects with its stderr. */
export async function awsCli(home: string, motoEndpoint: string, args: string[]): Promise<string> {
  const env = awsEnv(home, motoEndpoint);
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE']) delete env[k];
  const { stdout } = await run('aws', args, { env, timeout: 60_000 });
  return stdout;
}

/** A boto3 script (`python3 -c`) with these arguments, as the person's own script would run; its stdout. */
async function boto3(home: string, motoEndpoint: string, lines: string[], args: string[]): Promise<string> {
  const env = awsEnv(home, motoEndpoint);
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE']) delete env[k];
  const { stdout } = await run('python3', ['-c', ['import boto3, json, sys', ...lines].join('\n'), ...args], { env, timeout: 60_000 });
  return stdout;
}

/** boto3 lists a bucket with this profile. */
export async function boto3ListObjects(home: string, motoEndpoint: string, profile: string, bucket: string): Promise<string[]> {
  const out = await boto3(
    home,
    motoEndpoint,
    [`s = boto3.Session(profile_name=sys.argv[1])`, `r = s.client("s3").list_objects(Bucket=sys.argv[2])`, 'print(json.dumps([o["Key"] for o in r.get("Contents", [])]))'],
    [profile, bucket],
  );
  return JSON.parse(out) as string[];
}

/**
 * The access key id boto3 ends up with for this profile, after it has asked for credentials as a command does
 * (for a credential_process profile: the process's output, refreshed when botocore finds it due). Compared, never
 * printed: only the id, never the secret, leaves the script.
 */
export async function boto3AccessKeyId(home: string, motoEndpoint: string, profile: string): Promise<string> {
  const out = await boto3(home, motoEndpoint, ['c = boto3.Session(profile_name=sys.argv[1]).get_credentials()', 'print(c.get_frozen_credentials().access_key)'], [profile]);
  return out.trim();
}

export function readAwsFile(home: string, name: 'credentials' | 'config'): string {
  const path = join(home, '.aws', name);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The file's bytes, for "nothing was written" checks; `undefined` when it does not exist. */
export function readAwsBytes(home: string, name: 'credentials' | 'config'): Buffer | undefined {
  const path = join(home, '.aws', name);
  return existsSync(path) ? readFileSync(path) : undefined;
}

/** The keys of one section of an INI file (no secrets are printed by tests: callers compare, never log). */
export function sectionOf(text: string, header: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    const h = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (h) {
      inside = h[1]!.trim() === header;
      continue;
    }
    const kv = /^\s*([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (inside && kv) out[kv[1]!] = kv[2]!;
  }
  return out;
}

/** For printing: secrets replaced by a mask; an access key id keeps its first 4 characters (ASIA: temporary). */
export function maskSecrets(text: string): string {
  return text
    .replace(/^(\s*(?:aws_secret_access_key|aws_session_token|aws_security_token)\s*=\s*)\S+/gm, '$1********')
    .replace(/^(\s*aws_access_key_id\s*=\s*)(\S{0,4})\S*/gm, '$1$2************');
}
