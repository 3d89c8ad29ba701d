/**
 * Runs a test suite on another Node major than the one running this script (Node 24 by
 * default), to catch what a newer runtime changes (node:test, Buffer, TLS, deprecations):
 *
 *   tsx scripts/test-node-matrix.ts [--node=24] [--mode=unit] [filter...]
 *
 *   npm run test:node24 / test:node22                  the unit suite on Node 24 / 22
 *   npm run test:node -- --node=22 --mode=reliability  any mode of scripts/run-tests.ts
 *   npm run test:node -- --node=24 --mode=integration producer/produce.test consumer/lifecycle.test share/
 *                                                      a 4.4 integration slice (produce, a group
 *                                                      member's lifecycle, share groups) on Node 24
 *
 * The Node binary comes from npm's `node-<platform>-<arch>` package, installed with
 * `npm i --no-save` into a cache folder outside the repository (KAFKATS_NODE_CACHE, default
 * <tmpdir>/kafkats-node-matrix/<major>), reused by later runs. scripts/run-tests.ts itself then
 * runs under that Node (`<that node> --import tsx scripts/run-tests.ts <mode> [filter...]`, tsx
 * coming from the repository's node_modules): it spawns the tests with its own `process.execPath`,
 * so the test files, and for the broker modes the harness, run on that Node too. Modes and
 * filters are those of scripts/run-tests.ts (unit, integration, compat, reliability, all).
 *
 * Exits non-zero when the install, the tsx smoke check or any test fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const args = process.argv.slice(2);
const nodeArg = args.find((a) => a.startsWith('--node='));
const major = nodeArg ? nodeArg.slice('--node='.length) : '24';
const modeArg = args.find((a) => a.startsWith('--mode='));
const mode = modeArg ? modeArg.slice('--mode='.length) : 'unit';
const filters = args.filter((a) => !a.startsWith('--'));
const MODES = ['unit', 'integration', 'compat', 'reliability', 'all'];
const unknown = args.filter((a) => a.startsWith('--') && a !== nodeArg && a !== modeArg);
if (!/^\d+$/.test(major)) {
  console.error(`--node must be a major version number, got "${major}"`);
  process.exit(2);
}
if (!MODES.includes(mode)) {
  console.error(`--mode must be one of ${MODES.join(', ')}, got "${mode}"`);
  process.exit(2);
}
if (unknown.length > 0) {
  console.error(
    `unknown option ${unknown.join(' ')}; usage: --node=<major> --mode=<${MODES.join('|')}> [filter...]`,
  );
  process.exit(2);
}

const pkgName = `node-${process.platform}-${process.arch}`;
const cacheDir = process.env.KAFKATS_NODE_CACHE || join(tmpdir(), 'kafkats-node-matrix', major);
const nodeBin = join(
  cacheDir,
  'node_modules',
  pkgName,
  'bin',
  process.platform === 'win32' ? 'node.exe' : 'node',
);

function nodeVersion(): string | undefined {
  if (!existsSync(nodeBin)) return undefined;
  try {
    return execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function installNode(): string {
  const cached = nodeVersion();
  if (cached?.startsWith(`v${major}.`)) return cached;
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'package.json'), '{ "name": "kafkats-node-matrix", "private": true }\n');
  execFileSync(
    npm,
    ['i', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', `${pkgName}@${major}`],
    {
      cwd: cacheDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const version = nodeVersion();
  if (!version?.startsWith(`v${major}.`))
    throw new Error(
      `${pkgName}@${major} installed in ${cacheDir} but ${nodeBin} reports ${version ?? 'nothing'}`,
    );
  return version;
}

function runSuite(): Promise<number> {
  const suiteArgs = ['--import', 'tsx', join(root, 'scripts', 'run-tests.ts'), mode, ...filters];
  return new Promise((resolvePromise) => {
    const child = spawn(nodeBin, suiteArgs, { cwd: root, stdio: 'inherit' });
    // run-tests.ts stops the brokers it started when told to stop: pass the signal on and wait.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
let exitCode = 1;
try {
  const installStarted = Date.now();
  const version = installNode();
  console.log(`Node ${version} at ${nodeBin} (ready in ${Date.now() - installStarted} ms)`);

  // tsx must load under this Node: run one TypeScript module of the repository through it.
  const smoke = execFileSync(
    nodeBin,
    [
      '--import',
      'tsx',
      '--eval',
      "import('./src/protocol/index.ts').then((m) => console.log(m.API_KEYS.length))",
    ],
    { cwd: root, encoding: 'utf8' },
  ).trim();
  if (!/^\d+$/.test(smoke)) throw new Error(`tsx smoke check printed "${smoke}", expected a number`);
  console.log(`tsx works under Node ${version} (loaded src/protocol/index.ts: ${smoke} API keys)`);

  const testStarted = Date.now();
  exitCode = await runSuite();
  console.log(
    `\nNode ${version}: ${mode}${filters.length ? ` (${filters.join(', ')})` : ''} exited ${exitCode} in ${((Date.now() - testStarted) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  console.error(`test:node${major} failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${exitCode}`);
process.exit(exitCode);
