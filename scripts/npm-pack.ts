/**
 * `npm pack` of this repository, as a user's install would get it. Shared by the package check
 * (scripts/check-package.ts) and the ecosystem tests, which install the tarball under the name
 * `kafkajs` (test/integration/ecosystem/scratch-project.ts). Run `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackFile {
  path: string;
  size: number;
}

export interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackFile[];
  /** Absolute path of the tarball written into the destination folder. */
  tarball: string;
}

/** Packs `root` into `destination` (without running lifecycle scripts) and says what went in. */
export function npmPack(root: string, destination: string): PackResult {
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  // npm may print warnings before the JSON on stdout in some versions; take from the first '['.
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as Omit<PackResult, 'tarball'>[];
  const result = parsed[0];
  if (!result) throw new Error('npm pack printed no result');
  return { ...result, tarball: join(destination, result.filename) };
}
