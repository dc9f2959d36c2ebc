/**
 * Property: whatever the two AWS files already hold (random sections, # and ; comments, blank lines, LF or CRLF, a
 * final newline or not, non-ASCII comments, nested `s3 =` blocks, decoy sections such as `[profile x]` in credentials or `[x]` in
 * config, duplicated headers), a valid writeProfiles of one profile, through the host's own request handler,
 * - leaves every other section byte for byte as it was (and the whole file, when nothing of that profile is in it);
 * - gives a profile that the AWS JS SDK's parser (@smithy/shared-ini-file-loader) reads back as exactly: the keys
 *   the request wrote, none of the managed keys it left out, and the person's own keys that were there before.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { handleRequest } from '../../host/handlers';
import type { ProfileWriteInput } from '../../utils/host-protocol';

const root = mkdtempSync(join(tmpdir(), 'aws-ini-property-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TARGETS = ['sts-temp', 'dev-env', 'default', 'p.1', 'a@b+c', 'x_Y-9'];
const OTHER_NAMES = ['alpha', 'prod', 'sts-temp-2', 'dev', 'profile', 'p.10', 'x_y-9'];

/** Keys the host writes or removes in each file (lower-case); the person's other keys are left alone. */
const MANAGED_CREDENTIAL_KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token', 'x_security_token_expires', 'x_aws_saml_sync', 'x_aws_saml_sync_role_arn'];
const MANAGED_CONFIG_KEYS = ['source_profile', 'role_arn', 'role_session_name', 'duration_seconds', 'external_id', 'x_aws_saml_sync', 'x_aws_saml_sync_role_arn'];

// ---- file generators ---------------------------------------------------------------------------------------------

const value = fc.stringMatching(/^[A-Za-z0-9/+=._:-]{1,16}$/).map((v) => `v${v}`);
/** The person's own keys: some named like the CLI's, in either case, never one the host manages. */
const userKey = fc.constantFrom('output', 'region', 'Output', 'cli_pager', 'retry_mode', 'max_attempts', 'ca_bundle');
/** Comments may hold any text, non-ASCII too (kept byte for byte like the rest). */
const comment = fc.tuple(fc.constantFrom('#', ';'), fc.stringMatching(/^[ -~éà✓🔑]{0,20}$/u)).map(([c, t]) => `${c}${t}`);
const blank = fc.constantFrom('', ' ', '\t');
const keyLine = fc.tuple(userKey, fc.constantFrom(' = ', '=', ' =', '= ', '  =  '), value).map(([k, sep, v]) => `${k}${sep}${v}`);
const nestedBlock = fc
  .tuple(
    fc.constantFrom('s3', 'sso', 'api_versions'),
    fc.array(fc.tuple(fc.constantFrom('region', 'max_concurrent_requests', 'addressing_style', 'output'), value, fc.constantFrom('  ', '    ', '\t')), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([name, subs, gap]) => {
    const lines = subs.map(([k, v, indent]) => `${indent}${k} = ${v}`);
    if (gap && lines.length > 1) lines.splice(1, 0, '');
    return [`${name} =`, ...lines];
  });
const bodyLines = fc
  .array(fc.oneof({ arbitrary: keyLine.map((l) => [l]), weight: 4 }, comment.map((l) => [l]), blank.map((l) => [l]), nestedBlock), { maxLength: 6 })
  .map((parts) => parts.flat());
const headerSuffix = fc.constantFrom('', '', ' ', ' # a comment', ' ; another');

interface Block {
  header: string;
  lines: string[];
}

/** Other sections of a file: never the target's own header (decoys look like it). */
function otherBlocks(file: 'credentials' | 'config', target: string) {
  const names = OTHER_NAMES.filter((n) => n !== target);
  const headers =
    file === 'credentials'
      ? [...names, `profile ${target}`, ...(target === 'default' ? [] : ['default'])]
      : [...names.map((n) => `profile ${n}`), 'sso-session corp', 'services local', ...(target === 'default' ? [] : ['default', target])];
  return fc.array(
    fc.tuple(fc.constantFrom(...headers), headerSuffix, bodyLines).map(([h, suffix, lines]): Block => ({ header: h, lines: [`[${h}]${suffix}`, ...lines] })),
    { maxLength: 5 },
  );
}

/** The target's existing section: the person's keys, plus the marker when the host wrote it earlier. */
function targetBlock(header: string, file: 'credentials' | 'config') {
  const managedLines =
    file === 'credentials'
      ? ['x_aws_saml_sync = saml', 'aws_access_key_id = ASIAOLDEXAMPLE000001', 'aws_security_token = oldEXAMPLE', 'x_aws_saml_sync_role_arn = arn:aws:iam::123456789012:role/Old']
      : ['x_aws_saml_sync = chained', 'role_session_name = old-session', 'duration_seconds = 3600', 'external_id = old-ext', 'source_profile = old-src', 'role_arn = arn:aws:iam::123456789012:role/Old'];
  return fc
    .tuple(fc.boolean(), fc.subarray(managedLines.slice(1)), bodyLines, fc.boolean())
    .map(([managed, extra, lines, upper]): { block: Block; managed: boolean } => {
      const own = managed ? [managedLines[0]!, ...extra].map((l) => (upper ? l.replace(/^[a-z_]+/, (k) => k.toUpperCase()) : l)) : [];
      // Interleave: the person's lines first, then the host's earlier keys (as an earlier write left them).
      return { block: { header, lines: [`[${header}]`, ...lines, ...own] }, managed };
    });
}

const preamble = fc.array(fc.oneof(comment, blank), { maxLength: 3 });

interface GeneratedFile {
  text: string;
  /** Text of each block (lines with their endings), in order. */
  blocks: { header: string; text: string }[];
  prefix: string;
  targetIndex: number;
  managed: boolean;
}

function fileArb(file: 'credentials' | 'config', target: string, header: string) {
  return fc
    .record({
      eol: fc.constantFrom('\n', '\r\n'),
      finalNewline: fc.boolean(),
      pre: preamble,
      others: otherBlocks(file, target),
      hasTarget: fc.boolean(),
      target: targetBlock(header, file),
      at: fc.nat(),
    })
    .map(({ eol, finalNewline, pre, others, hasTarget, target: t, at }): GeneratedFile => {
      const blocks = [...others];
      const targetIndex = hasTarget ? at % (blocks.length + 1) : -1;
      if (hasTarget) blocks.splice(targetIndex, 0, t.block);
      const all = [...pre, ...blocks.flatMap((b) => b.lines)];
      const ending = (i: number) => (i === all.length - 1 && !finalNewline ? '' : eol);
      let i = 0;
      const prefix = pre.map((l) => l + ending(i++)).join('');
      const blockTexts = blocks.map((b) => ({ header: b.header, text: b.lines.map((l) => l + ending(i++)).join('') }));
      return { text: prefix + blockTexts.map((b) => b.text).join(''), blocks: blockTexts, prefix, targetIndex, managed: hasTarget && t.managed };
    });
}

// ---- request generator -------------------------------------------------------------------------------------------

const secret = fc.stringMatching(/^[\x21-\x7e]{1,60}$/).filter((s) => !/^[#;]/.test(s));
const roleArn = fc.tuple(fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^[\w+=,.@-]{1,20}$/)).map(([a, n]) => `arn:aws:iam::${a}:role/${n}`);
const credentials = fc.record({
  accessKeyId: fc.stringMatching(/^[A-Z0-9]{16}$/).map((s) => `ASIA${s}`),
  secretAccessKey: secret,
  sessionToken: secret,
  expiration: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => new Date(ms).toISOString()),
});

function writeArb(profile: string) {
  const sources = ['sts-temp', 'base', 'root.1'].filter((s) => s !== profile);
  return fc
    .record({
      kind: fc.constantFrom('saml', 'chained', 'chained-config'),
      roleArn,
      credentials,
      region: fc.option(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1'), { nil: undefined }),
      chain: fc.option(fc.tuple(fc.constantFrom(...sources), roleArn), { nil: undefined }),
      role_session_name: fc.option(fc.stringMatching(/^[\w+=,.@-]{2,20}$/), { nil: undefined }),
      duration_seconds: fc.option(fc.oneof(fc.integer({ min: 900, max: 43_200 }), fc.integer({ min: 900, max: 43_200 }).map(String)), { nil: undefined }),
      external_id: fc.option(fc.stringMatching(/^[\w+=,.@:/-]{2,30}$/), { nil: undefined }),
      legacy: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map((r) => {
      const chain = r.kind === 'chained-config' ? (r.chain ?? [sources[0]!, r.roleArn] as const) : r.chain;
      const config: NonNullable<ProfileWriteInput['config']> = {};
      if (r.region) config.region = r.region;
      if (chain) {
        config.source_profile = chain[0];
        config.role_arn = chain[1];
      }
      if (r.role_session_name) config.role_session_name = r.role_session_name;
      if (r.duration_seconds !== undefined) config.duration_seconds = r.duration_seconds;
      if (r.external_id) config.external_id = r.external_id;
      const write: ProfileWriteInput = { profile, kind: r.kind, roleArn: r.roleArn, config };
      if (r.kind !== 'chained-config') write.credentials = r.credentials;
      return { write, legacy: r.legacy };
    });
}

const scenario = fc.constantFrom(...TARGETS).chain((profile) =>
  fc.record({
    profile: fc.constant(profile),
    credentialsFile: fileArb('credentials', profile, profile),
    configFile: fileArb('config', profile, profile === 'default' ? 'default' : `profile ${profile}`),
    request: writeArb(profile),
    confirmAnyway: fc.boolean(),
  }),
);

// ---- the property --------------------------------------------------------------------------------------------------

/** Keys of `before` (as the SDK read them) the host must keep: the person's own, compared lower-case. */
function kept(before: Record<string, string | undefined> | undefined, managed: string[]): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(before ?? {}).filter(([k]) => !managed.includes(k.toLowerCase().split('.')[0]!)));
}

/** The bytes before and after the profile's own section are the same (all of them when it was not there). */
function expectOthersKept(before: GeneratedFile, after: string, deleted: boolean): void {
  if (before.targetIndex < 0) {
    expect(after.startsWith(before.text), 'the file it was, and only then the new section').toBe(true);
    return;
  }
  let head = before.prefix + before.blocks.slice(0, before.targetIndex).map((b) => b.text).join('');
  const tail = before.blocks.slice(before.targetIndex + 1).map((b) => b.text).join('');
  if (deleted && tail === '') {
    // A removed last section takes along the blank lines that only separated it from the one before, and the
    // new last line follows the file's final-newline rule.
    const lines = head.match(/[^\n]*\n/g) ?? [];
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    head = lines.join('').replace(/\r?\n$/, '');
  }
  expect(after.startsWith(head), 'the bytes before the profile').toBe(true);
  expect(after.endsWith(tail), 'the bytes after the profile').toBe(true);
}

let run = 0;

// Counted, not timed (see saml-property.test.ts).
describe('writing one profile into any existing pair of files', { timeout: 60_000 }, () => {
  it('keeps every other section byte for byte, and the SDK reads back exactly what was written', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ profile, credentialsFile, configFile, request, confirmAnyway }) => {
        const dir = join(root, `run-${++run}`);
        const paths = { credentialsFile: join(dir, 'credentials'), configFile: join(dir, 'config') };
        mkdirSync(dir);
        writeFileSync(paths.credentialsFile, credentialsFile.text);
        writeFileSync(paths.configFile, configFile.text);
        const sdkBefore = await loadSharedConfigFiles({ filepath: paths.credentialsFile, configFilepath: paths.configFile, ignoreCache: true });

        const { write, legacy } = request;
        const isChainedConfig = write.kind === 'chained-config';
        const credentialsTargetUnmanaged = credentialsFile.targetIndex >= 0 && !credentialsFile.managed;
        if (isChainedConfig && credentialsTargetUnmanaged) return; // a person's own keys under that name: see host-messages tests
        const needsConfirm = credentialsTargetUnmanaged || (configFile.targetIndex >= 0 && !configFile.managed);
        const body = {
          profiles: [write],
          ...(needsConfirm || confirmAnyway ? { confirmOverwrite: [profile] } : {}),
          ...(legacy !== undefined ? { legacySecurityToken: legacy } : {}),
        };
        const reply = await handleRequest({ v: 1, id: 'p', type: 'writeProfiles', body }, { paths });
        expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true, body: { written: [profile] } });

        const credentialsAfter = readFileSync(paths.credentialsFile, 'utf8');
        const configAfter = readFileSync(paths.configFile, 'utf8');
        const credentialsDeleted = isChainedConfig && credentialsFile.targetIndex >= 0;
        if (isChainedConfig && credentialsFile.targetIndex < 0) expect(credentialsAfter).toBe(credentialsFile.text);
        expectOthersKept(credentialsFile, credentialsAfter, credentialsDeleted);
        expectOthersKept(configFile, configAfter, false);
        // The file's own line endings, and its final newline or the lack of one.
        for (const [file, after] of [
          [credentialsFile, credentialsAfter],
          [configFile, configAfter],
        ] as const) {
          const crlf = file.text.includes('\r\n');
          if (crlf) expect(after.replace(/\r\n/g, '')).not.toContain('\n');
          else expect(after).not.toContain('\r\n');
          if (file.text !== '' && after !== '') expect(after.endsWith('\n')).toBe(file.text.endsWith('\n'));
        }

        const sdk = await loadSharedConfigFiles({ filepath: paths.credentialsFile, configFilepath: paths.configFile, ignoreCache: true });
        const sendsRegion = !!write.config?.region;
        const expectedConfig: Record<string, string | undefined> = {
          ...kept(sdkBefore.configFile[profile], [...MANAGED_CONFIG_KEYS, ...(sendsRegion ? ['region'] : [])]),
          ...Object.fromEntries(Object.entries(write.config ?? {}).map(([k, v]) => [k, String(v)])),
          x_aws_saml_sync: write.kind,
          x_aws_saml_sync_role_arn: write.roleArn,
        };
        expect(sdk.configFile[profile]).toEqual(expectedConfig);
        if (write.credentials) {
          expect(sdk.credentialsFile[profile]).toEqual({
            ...kept(sdkBefore.credentialsFile[profile], MANAGED_CREDENTIAL_KEYS),
            aws_access_key_id: write.credentials.accessKeyId,
            aws_secret_access_key: write.credentials.secretAccessKey,
            aws_session_token: write.credentials.sessionToken,
            ...(legacy ? { aws_security_token: write.credentials.sessionToken } : {}),
            x_security_token_expires: write.credentials.expiration,
            x_aws_saml_sync: write.kind,
            x_aws_saml_sync_role_arn: write.roleArn,
          });
        } else {
          expect(sdk.credentialsFile[profile]).toBeUndefined();
        }
        // Every other profile reads as before.
        for (const [name, keys] of Object.entries(sdkBefore.credentialsFile)) if (name !== profile) expect(sdk.credentialsFile[name]).toEqual(keys);
        for (const [name, keys] of Object.entries(sdkBefore.configFile)) if (name !== profile) expect(sdk.configFile[name]).toEqual(keys);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
