/**
 * Starts and stops a local moto server (the STS/S3/ECR emulator) for tests and benches, through
 * tests/support/moto_launcher.py: moto's own server with a tolerant AssumeRoleWithSAML (why: see the launcher).
 *
 *   const moto = await startMoto();                                   // http://127.0.0.1:<free port>
 *   const moto = await startMoto({ tls: makeTestCertificate([...]) }); // https, for a browser mapped onto it
 *   ...; await moto.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const MOTO_INSTALL_HINT = 'moto is not installed for python3: install it with `pip install "moto[server]"` (or set MOTO_PYTHON to a Python that has it).';

const LAUNCHER = join(import.meta.dirname, 'moto_launcher.py');

export interface MotoOptions {
  /** Serve HTTPS with this certificate (files, as tests/support/tls.ts makes them). */
  tls?: { certFile: string; keyFile: string };
  /** Default: a free loopback port. */
  port?: number;
  /** How long to wait for the first answer; default 60 s (moto imports slowly on a busy machine). */
  startTimeoutMs?: number;
}

export interface Moto {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  endpoint: string;
  port: number;
  pid: number;
  /** Forget every resource and session (moto's /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

let pythonFound: string | undefined;

/** The Python that can import moto: $MOTO_PYTHON, else python3, else python. Throws MOTO_INSTALL_HINT. */
export function findMotoPython(): string {
  if (pythonFound) return pythonFound;
  const candidates = [process.env.MOTO_PYTHON, 'python3', 'python'].filter((c): c is string => !!c);
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import moto.server, moto.sts'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return (pythonFound = python);
  }
  throw new Error(MOTO_INSTALL_HINT);
}

export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One HTTP(S) request to moto; resolves with the status, rejects when nothing answers. */
function motoRequest(endpoint: string, method: 'GET' | 'POST', path: string, timeoutMs = 2_000): Promise<number> {
  const url = new URL(path, endpoint);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const python = findMotoPython();
  // A port found free can be taken before moto binds it; try again with another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(python, options.port ?? (await freeLoopbackPort()), options);
    } catch (error) {
      if (attempt >= 3 || options.port !== undefined) throw error;
    }
  }
}

async function launch(python: string, port: number, options: MotoOptions): Promise<Moto> {
  const args = [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)];
  if (options.tls) args.push('-c', options.tls.certFile, '-k', options.tls.keyFile);
  const child: ChildProcess = spawn(python, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const endpoint = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (hasExited || child.pid === undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) {
      throw new Error(`moto exited before answering on port ${port}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    try {
      await motoRequest(endpoint, 'GET', '/moto-api/');
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`moto did not answer on ${endpoint} within ${Math.round((options.startTimeoutMs ?? 60_000) / 1000)} s`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    reset: async () => {
      const status = await motoRequest(endpoint, 'POST', '/moto-api/reset', 10_000);
      if (status !== 200) throw new Error(`moto reset answered HTTP ${status}`);
    },
    stop,
  };
}
