/**
 * `npm run bench`: runs every bench/*.bench.ts in name order and prints its figures. Figures, not pass/fail:
 * speed targets are read here, never asserted in timed tests (these shared 2-core machines are noisy).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}`);
  const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
