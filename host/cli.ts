/**
 * The command line of the `aws-saml-sync-host` package: one table of subcommands, each a small function. The
 * package's bin (host/bin.ts) and the checkout's `npm run host:install` (host/repo-cli.ts) both call runCli; they
 * differ only in where the bundled host comes from.
 *
 *   aws-saml-sync-host install [--browser NAME|all] [--manifest-dir DIR]
 *   aws-saml-sync-host uninstall [--browser NAME|all] [--manifest-dir DIR]
 *   aws-saml-sync-host doctor
 *   aws-saml-sync-host --version
 */
import { execFileSync } from 'node:child_process';
import { HOST_VERSION } from '../utils/host-protocol';
import { doctor, formatDoctor } from './doctor';
import { CLI, parseArgs, runInstaller, type InstallerDeps } from './install';
import { runCredentialsCli } from './credentials-cli';

export interface CliContext {
  /** The bundled host that install copies. */
  hostBundle: NonNullable<InstallerDeps['hostBundle']>;
  /** For tests: everything runInstaller and doctor would otherwise take from this process. */
  installer?: Omit<InstallerDeps, 'hostBundle'>;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

interface Command {
  usage: string;
  summary: string;
  run(args: string[], ctx: Required<Pick<CliContext, 'out' | 'err'>> & CliContext): Promise<number>;
}

async function install(action: 'install' | 'uninstall', args: string[], ctx: Required<Pick<CliContext, 'out' | 'err'>> & CliContext): Promise<number> {
  const parsed = parseArgs([action, ...args]);
  const { written, notes } = await runInstaller(parsed, { helperVersion: HOST_VERSION, ...ctx.installer, hostBundle: ctx.hostBundle });
  for (const w of written) ctx.out(`${w.what.padEnd(40)} ${w.path}\n`);
  for (const note of notes) ctx.out(`\n${note}\n`);
  if (action === 'install') ctx.out(`\nDone: reload the extension (or reopen its popup) and it will find the helper. If it does not: ${CLI} doctor\n`);
  else if (written.length === 0) ctx.out('Nothing to remove.\n');
  return 0;
}

function readRegistry(key: string): string | undefined {
  try {
    const out = execFileSync('reg', ['query', key, '/ve'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /REG_SZ\s+(.+?)\s*$/m.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

/** The subcommands, each one entry here and its module; nothing else in this file needs to know. */
export const COMMANDS: Record<string, Command> = {
  install: {
    usage: 'install [--browser NAME|all] [--manifest-dir DIR]',
    summary: 'install the helper and register it with your browsers (default: the ones found on this machine)',
    run: (args, ctx) => install('install', args, ctx),
  },
  uninstall: {
    usage: 'uninstall [--browser NAME|all] [--manifest-dir DIR]',
    summary: 'remove what install wrote (default: everything)',
    run: (args, ctx) => install('uninstall', args, ctx),
  },
  credentials: {
    usage: 'credentials --profile NAME [--open]',
    summary: 'print credentials for credential_process: from the running browser, else the last ones while valid',
    // Never more than 30 s without --open (botocore sets no timeout): the socket ask and the cache read are bounded.
    run: (args) => runCredentialsCli(args),
  },
  doctor: {
    usage: 'doctor',
    summary: 'check the installation and ~/.aws; each problem with the command that fixes it (exit 1 if any)',
    async run(args, ctx) {
      if (args.length > 0) throw new Error(`doctor takes no options (got "${args[0]}").`);
      const report = await doctor({ helperVersion: HOST_VERSION, readRegistry, ...ctx.installer });
      ctx.out(formatDoctor(report));
      return report.problems.length > 0 ? 1 : 0;
    },
  },
};

function usage(): string {
  const name = CLI.replace(/^npx /, '');
  return [
    `${name} ${HOST_VERSION}: the local helper of the aws-saml-sync browser extension (writes ~/.aws).`,
    '',
    ...Object.values(COMMANDS).map((c) => `  ${name} ${c.usage}\n      ${c.summary}`),
    `  ${name} --version`,
    '',
  ].join('\n');
}

/** Runs one command line; the exit status. Errors become one sentence on stderr and status 1. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const ctx = { out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t), ...context };
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    ctx.out(`${HOST_VERSION}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    ctx.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    ctx.err(`${CLI.replace(/^npx /, '')} ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
