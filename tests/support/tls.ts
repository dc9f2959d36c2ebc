/**
 * A throwaway self-signed certificate for local TLS stand-ins of AWS hosts (the browser runs with
 * --ignore-certificate-errors, or the CA is trusted in the test profile). Made with the openssl command line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export function makeTestCertificate(hostnames: string[]): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'aws-saml-sync-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const conf = join(dir, 'openssl.cnf');
  const altNames = [...hostnames, 'localhost'].map((h, i) => `DNS.${i + 1} = ${h}`).join('\n');
  writeFileSync(
    conf,
    `[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n[dn]\nCN = ${hostnames[0] ?? 'localhost'}\n` +
      `[ext]\nsubjectAltName = @alt\nbasicConstraints = critical,CA:TRUE\nkeyUsage = digitalSignature,keyEncipherment,keyCertSign\n` +
      `extendedKeyUsage = serverAuth\n[alt]\n${altNames}\nIP.1 = 127.0.0.1\n`,
  );
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', keyFile, '-out', certFile, '-config', conf],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
