/**
 * Pack a built extension folder as an .xpi (a ZIP archive, written by fflate), for Firefox's permanent installs,
 * which take no unpacked folder.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Write `dir`'s files into the archive `xpiPath`, named by their path inside `dir`. */
export function writeXpi(dir: string, xpiPath: string): void {
  const entries: Zippable = Object.fromEntries(filesUnder(dir).map((path) => [relative(dir, path).split(sep).join('/'), readFileSync(path)]));
  writeFileSync(xpiPath, zipSync(entries));
}
