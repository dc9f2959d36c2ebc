/**
 * The same command line from a checkout: `npm run host:install -- …`, `npm run host:uninstall`, `npm run
 * host:doctor`. The only difference from the package's bin: the host is built first when it is missing or stale.
 */
import { ensureHostBuilt } from './build';
import { runCli } from './cli';

process.exitCode = await runCli(process.argv.slice(2), { hostBundle: ensureHostBuilt });
