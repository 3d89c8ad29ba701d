/**
 * A user's project with kafkats installed under the name `kafkajs`, the way npm installs an
 * alias: the packed tarball extracted into node_modules/kafkajs (a real directory, not a link),
 * next to the framework packages at the exact versions pinned in the root package.json.
 *
 * Frameworks and instrumentation find KafkaJS by `require('kafkajs')` and by its package.json
 * version, so nothing short of a real install shows what they do with kafkats. The project
 * lives in the test run's temporary folder and is built once per run: the first test file that
 * asks builds it, the next ones (each its own process) find its `.ready` marker.
 *
 * `real/` beside it holds KafkaJS 2.2.4 itself, for tests that compare against it: a script in
 * `real/` resolves `kafkajs` there and every other package from the project above.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { npm, npmPack } from '../../../scripts/npm-pack.js';
import { TEST_CLUSTER_ENV } from '../../helpers/cluster.js';

const root = resolve(import.meta.dirname, '../../..');
const appsDir = join(import.meta.dirname, 'apps');

/** The packages the scratch project installs beside kafkats, at the root's pinned versions. */
export const FRAMEWORK_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/microservices',
  'reflect-metadata',
  'rxjs',
  '@opentelemetry/api',
  '@opentelemetry/instrumentation',
  '@opentelemetry/instrumentation-kafkajs',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-trace-node',
  '@kafkajs/confluent-schema-registry',
] as const;

/** Where the scratch project lives; overridable so that the NestJS loop script can keep one. */
export const SCRATCH_DIR_ENV = 'KAFKATS_ECOSYSTEM_DIR';

export interface ScratchProject {
  /** The project folder: `require('kafkajs')` from a script here loads kafkats. */
  dir: string;
  /** A folder inside it where `require('kafkajs')` loads KafkaJS 2.2.4. */
  realDir: string;
  /** The version kafkats was packed at (what version gates read). */
  kafkatsVersion: string;
}

interface RootPackage {
  version: string;
  devDependencies: Record<string, string>;
}

function rootPackage(): RootPackage {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as RootPackage;
}

function pinned(name: string): string {
  const version = rootPackage().devDependencies[name];
  if (!version || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`package.json must pin ${name} to an exact devDependency version, found ${version}`);
  return version;
}

function defaultDir(): string {
  const fromEnv = process.env[SCRATCH_DIR_ENV];
  if (fromEnv) return fromEnv;
  // The runner's work folder (removed when the run ends) holds the cluster description.
  const cluster = process.env[TEST_CLUSTER_ENV];
  if (cluster) return join(dirname(cluster), 'ecosystem');
  return join(tmpdir(), `kafkats-ecosystem-${process.pid}`);
}

function npmInstall(cwd: string): void {
  // --prefer-offline: the cache is warm after `npm ci` of this repository. --omit=optional skips
  // kafkats' native codecs, which these tests do not use (zstd-napi may build from source).
  execFileSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--omit=optional'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The newest modification time of any file under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  return newest;
}

/** Builds dist/ unless it is newer than every source file (CI builds just before the tests). */
function buildIfStale(): void {
  const built = join(root, 'dist', 'cjs', 'index.js');
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs > sources) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Copies the app scripts in (every time: they are small and may have changed since the install). */
function copyApps(dir: string): void {
  for (const file of readdirSync(appsDir)) cpSync(join(appsDir, file), join(dir, file));
}

/**
 * The scratch project of this run, built on first use: `npm run build` (when dist/ is older
 * than the sources), `npm pack`, then
 * `npm install` of the tarball as `kafkajs` with the framework packages. Takes about a minute
 * the first time, nothing after. `installAs: 'kafkajs-2.2.4'` builds the same project with KafkaJS
 * itself under that name instead (for the NestJS loop's baseline run); its `realDir` is unused.
 */
export function scratchProject(
  dir: string = defaultDir(),
  installAs: 'kafkats' | 'kafkajs-2.2.4' = 'kafkats',
): ScratchProject {
  const realDir = join(dir, 'real');
  const marker = join(dir, '.ready');
  const baseline = installAs === 'kafkajs-2.2.4';
  if (!existsSync(marker)) {
    mkdirSync(realDir, { recursive: true });
    const dependencies: Record<string, string> = {};
    if (baseline) {
      dependencies.kafkajs = pinned('kafkajs');
    } else {
      buildIfStale();
      dependencies.kafkajs = `file:./${npmPack(root, dir).filename}`;
    }
    for (const name of FRAMEWORK_PACKAGES) dependencies[name] = pinned(name);
    writeJson(join(dir, 'package.json'), {
      name: 'kafkats-ecosystem-scratch',
      version: '0.0.0',
      private: true,
      dependencies,
    });
    npmInstall(dir);
    if (!baseline) {
      writeJson(join(realDir, 'package.json'), {
        name: 'kafkats-ecosystem-real-kafkajs',
        version: '0.0.0',
        private: true,
        dependencies: { kafkajs: pinned('kafkajs') },
      });
      npmInstall(realDir);
    }
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
  copyApps(dir);
  copyApps(realDir);
  const installed = join(dir, 'node_modules', 'kafkajs');
  if (lstatSync(installed).isSymbolicLink())
    throw new Error(`${installed} is a symbolic link; npm installs a tarball as a real directory`);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const expected = baseline ? 'kafkajs' : 'kafkats';
  if (manifest.name !== expected)
    throw new Error(`${installed} holds ${manifest.name}, expected ${expected} installed as kafkajs`);
  return { dir, realDir, kafkatsVersion: manifest.version };
}
