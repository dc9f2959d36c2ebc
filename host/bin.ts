/**
 * The bin of the `aws-saml-sync-host` package (built to host/dist/cli.cjs by `npm run host:package`). The bundled
 * host it installs lies beside it in the package. Node is checked first, before the rest of the bundle is
 * evaluated (cli.ts is imported lazily), so an old Node gets one sentence instead of a syntax error.
 */
import { nodeVersionProblem } from './node-version';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
} else {
  void import('./cli').then(async ({ runCli }) => {
    const { join } = await import('node:path');
    process.exitCode = await runCli(process.argv.slice(2), {
      // __dirname: this file's folder in the CommonJS bundle, the package's dist/ (npm's bin link resolved).
      hostBundle: async () => ({ bundle: join(__dirname, 'aws-saml-sync-host.cjs'), built: false }),
    });
  });
}
