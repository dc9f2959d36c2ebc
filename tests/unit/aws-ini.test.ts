/**
 * host/aws-ini.ts against before/after fixtures (tests/fixtures/aws-files/: `<case>.before.ini`, the edits in
 * cases.ts, `<case>.after.ini` byte for byte), then what the AWS JS SDK's own parser
 * (@smithy/shared-ini-file-loader) reads from each result, so a fixture cannot be "right" in a way no consumer
 * agrees with.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { afterAll, describe, expect, it } from 'vitest';
import { configHeader, credentialsHeader, readSections, removeSection, setSectionKeys } from '../../host/aws-ini';
import { FIXTURE_CASES, type FixtureCase } from '../fixtures/aws-files/cases';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'aws-files');
const scratch = mkdtempSync(join(tmpdir(), 'aws-ini-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function apply(text: string, c: FixtureCase): string {
  let out = text;
  for (const e of c.edits) out = 'remove' in e ? removeSection(out, e.remove) : setSectionKeys(out, e.set, e.keys);
  return out;
}

let n = 0;
/** What the JS SDK reads from this text as a credentials file and as a config file. */
async function sdkRead(text: string): Promise<{ credentials: Record<string, Record<string, string>>; config: Record<string, Record<string, string>> }> {
  const path = join(scratch, `file-${++n}`);
  writeFileSync(path, text);
  const { credentialsFile, configFile } = await loadSharedConfigFiles({ filepath: path, configFilepath: path, ignoreCache: true });
  return { credentials: credentialsFile as Record<string, Record<string, string>>, config: configFile as Record<string, Record<string, string>> };
}

/** Every line break is CRLF. */
const allCrlf = (text: string) => !/(^|[^\r])\n/.test(text) && text.includes('\r\n');

describe('before/after fixtures', () => {
  it.each(FIXTURE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = fixture(`${c.name}.before.ini`);
    const after = fixture(`${c.name}.after.ini`);
    expect(after, 'fixture files must differ, or the case proves nothing').not.toBe(before);
    expect(apply(before, c), c.why).toBe(after);
    // The same edits again change nothing (no second copy of a key, no extra blank lines).
    expect(apply(after, c)).toBe(after);
  });

  it('the fixtures hold only fake keys', () => {
    for (const c of FIXTURE_CASES) {
      for (const text of [fixture(`${c.name}.before.ini`), fixture(`${c.name}.after.ini`)]) {
        for (const m of text.matchAll(/aws_(?:access_key_id|secret_access_key|session_token)\s*=\s*(\S+)/g)) expect(m[1]).toContain('EXAMPLE');
      }
    }
  });
});

describe('what the SDK reads from the fixture results', () => {
  it('comments: the new keys; the other profiles with their values (inline comments are not values)', async () => {
    const { credentials } = await sdkRead(fixture('comments.after.ini'));
    expect(credentials['sts-temp']).toEqual({
      aws_access_key_id: 'ASIANEWEXAMPLE000002',
      aws_secret_access_key: 'newSecretEXAMPLE',
      aws_session_token: 'newTokenEXAMPLE',
      x_security_token_expires: '2030-01-01T00:00:00Z',
      x_aws_saml_sync: 'saml',
    });
    expect(credentials.other).toEqual({ aws_access_key_id: 'ASIAOTHEREXAMPLE0001' });
    expect(credentials.default?.aws_access_key_id).toBe('AKIAIOSFODNN7EXAMPLE');
    const after = fixture('comments.after.ini');
    for (const comment of ['# Written by hand; keep this comment.', '; and this one too', '; a comment inside the section', '# between keys', '# a trailing comment at the end of the file']) {
      expect(after).toContain(`${comment}\n`);
    }
  });

  it('crlf: every line ends in CRLF, and the values are read without a stray \\r', async () => {
    const after = fixture('crlf.after.ini');
    expect(allCrlf(fixture('crlf.before.ini'))).toBe(true);
    expect(allCrlf(after)).toBe(true);
    const { config } = await sdkRead(after);
    expect(config.dev).toEqual({ region: 'us-east-1', role_session_name: 'alice', x_aws_saml_sync: 'saml' });
    expect(config.new).toEqual({ region: 'eu-north-1', x_aws_saml_sync: 'saml' });
    expect(config.ops).toEqual({ region: 'ap-south-1' });
    expect(config.default).toEqual({ region: 'us-west-2', output: 'json' });
  });

  it('prefix-config: [profile dev] and [default] changed; [dev] kept (in config it is no profile of the SDK or the CLI)', async () => {
    const after = fixture('prefix-config.after.ini');
    const { config } = await sdkRead(after);
    expect(config.dev?.region).toBe('us-east-1');
    expect(config.default?.region).toBe('eu-west-3');
    expect(after).toContain('[dev]\nregion = ap-south-1\n');
    expect(configHeader('dev')).toBe('profile dev');
    expect(configHeader('default')).toBe('default');
  });

  it('prefix-credentials: [dev] is the profile; [profile dev] there stays as it was', async () => {
    const after = fixture('prefix-credentials.after.ini');
    const { credentials } = await sdkRead(after);
    expect(credentials.dev?.aws_access_key_id).toBe('ASIANEWEXAMPLE000002');
    expect(after).toContain('[profile dev]\naws_access_key_id = ASIAPREFIXEXAMPLE001\n');
    expect(credentialsHeader('dev')).toBe('dev');
    expect(credentialsHeader('default')).toBe('default');
  });

  it('nested: the top-level region changes; s3.region inside the block does not', async () => {
    const after = fixture('nested.after.ini');
    const { config } = await sdkRead(after);
    expect(config.dev).toMatchObject({ region: 'us-east-1', 's3.region': 'eu-west-1', 's3.max_concurrent_requests': '20' });
    expect(config.ops).toMatchObject({ region: 'us-east-1', 's3.region': 'eu-west-1', 's3.addressing_style': 'path' });
    expect(config.keep).toEqual({ 's3.region': 'eu-west-1' });
    expect(after.match(/^ +region = eu-west-1$/gm)).toHaveLength(3);
  });

  it('no-final-newline: still none, and the last key reads back whole', async () => {
    const after = fixture('no-final-newline.after.ini');
    expect(after.endsWith('\n')).toBe(false);
    const { credentials } = await sdkRead(after);
    expect(credentials).toEqual({ a: { key: 'value', added: 'yes' }, b: { key: 'value2' } });
  });

  it('bom: one byte-order mark, at the start', () => {
    const after = fixture('bom.after.ini');
    expect(after.startsWith('\uFEFF# starts')).toBe(true);
    expect(after.split('\uFEFF')).toHaveLength(2);
    expect(readSections(after).get('default')?.region).toBe('us-east-2');
  });

  it('duplicate-headers: both copies of [shared] are kept byte for byte', () => {
    const after = fixture('duplicate-headers.after.ini');
    expect(after.startsWith('[shared]\na = 1\n\n[sts-temp]\n')).toBe(true);
    expect(after.endsWith('\n[shared]\nb = 2\n')).toBe(true);
  });

  it('append-crlf: the new section uses CRLF; no final newline, as before', async () => {
    const after = fixture('append-crlf.after.ini');
    expect(after).toContain('EXAMPLEKEY\r\n\r\n[sts-temp]\r\n');
    expect(after.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(after.endsWith('\n')).toBe(false);
    const { credentials } = await sdkRead(after);
    expect(credentials['sts-temp']?.x_aws_saml_sync).toBe('saml');
    expect(credentials.default?.aws_secret_access_key).toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });

  it('key-removal: removed keys are gone, the comment and the other profile stay', async () => {
    const after = fixture('key-removal.after.ini');
    const { config } = await sdkRead(after);
    expect(config['dev-env']).toEqual({
      x_aws_saml_sync: 'chained-config',
      source_profile: 'sts-temp-2',
      role_arn: 'arn:aws:iam::888777666555:role/assumed-dev',
      region: 'us-east-1',
    });
    expect(config.other).toEqual({ role_session_name: 'bob' });
    expect(after).toContain('# the role this profile assumes\nrole_arn');
  });

  it('remove-section: the next section keeps its comment; nothing trails the file', async () => {
    const after = fixture('remove-section.after.ini');
    const { credentials } = await sdkRead(after);
    expect(Object.keys(credentials).sort()).toEqual(['keep-1', 'prod']);
    expect(after).toContain('\n\n# Production keys: do not touch\n[prod]\n');
    expect(after.endsWith('EXAMPLEKEY\n')).toBe(true);
  });
});

describe('reading lines as the CLI and the SDK do', () => {
  it('keys are matched case-insensitively: one key, changed where it stands', () => {
    const text = '[p]\nAWS_Access_Key_ID = ASIAOLDEXAMPLE000001\nother = 1\n';
    expect(setSectionKeys(text, 'p', { aws_access_key_id: 'ASIANEWEXAMPLE000002' })).toBe('[p]\naws_access_key_id = ASIANEWEXAMPLE000002\nother = 1\n');
  });

  it('a key written twice is left once, where it first stood (configparser refuses a repeated key)', () => {
    const text = '[p]\naws_session_token = old1EXAMPLE\nregion = us-east-1\nAWS_SESSION_TOKEN = old2EXAMPLE\n';
    expect(setSectionKeys(text, 'p', { aws_session_token: 'newEXAMPLE' })).toBe('[p]\naws_session_token = newEXAMPLE\nregion = us-east-1\n');
  });

  it('a header with an inline comment or extra blanks is still that section', () => {
    expect(setSectionKeys('[sts-temp] # managed\nk = 1\n', 'sts-temp', { k: '2' })).toBe('[sts-temp] # managed\nk = 2\n');
    expect(setSectionKeys('[profile   dev]\nregion = a\n', 'profile dev', { region: 'b' })).toBe('[profile   dev]\nregion = b\n');
  });

  it('an empty file gets the section and a final newline; removing from it changes nothing', () => {
    expect(setSectionKeys('', 'x', { k: 'v', gone: undefined })).toBe('[x]\nk = v\n');
    expect(removeSection('', 'x')).toBe('');
    expect(setSectionKeys('', 'x', { gone: undefined })).toBe('');
  });

  it('a section that is not there is not "removed" from another one', () => {
    const text = '[a]\nk = 1\n\n[profile b]\nk = 2\n';
    expect(removeSection(text, 'b')).toBe(text);
    expect(setSectionKeys(text, 'a', { missing: undefined })).toBe(text);
  });

  it('readSections: headers as written (blanks collapsed), top-level keys only, values without inline comments', () => {
    const sections = readSections('[profile  x]\nregion = eu-west-1 # comment\ns3 =\n  region = us-east-1\n[y]\n');
    expect(sections.get('profile x')).toEqual({ region: 'eu-west-1', s3: '' });
    expect(sections.get('y')).toEqual({});
  });
});
