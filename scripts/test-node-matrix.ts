/**
 * Runs the unit suite on another Node major than the one running this script (Node 24 by
 * default), to catch what a newer runtime changes (node:test, Buffer, TLS, deprecations):
 *
 *   tsx scripts/test-node-matrix.ts [--node=24] [filter...]        (npm run test:node24)
 *
 * The Node binary comes from npm's `node-<platform>-<arch>` package, installed with
 * `npm i --no-save` into a cache folder outside the repository (KAFKATS_NODE_CACHE, default
 * <tmpdir>/kafkats-node-matrix/<major>), reused by later runs. The tests run from the repository
 * with `<that node> --import tsx --test <files>`, tsx coming from the repository's node_modules.
 * Filters are substrings of the test file paths, as for `npm run test:unit`.
 *
 * Exits non-zero when the install, the tsx smoke check or any test fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const args = process.argv.slice(2);
const nodeArg = args.find((a) => a.startsWith('--node='));
const major = nodeArg ? nodeArg.slice('--node='.length) : '24';
const filters = args.filter((a) => !a.startsWith('--'));
if (!/^\d+$/.test(major)) {
  console.error(`--node must be a major version number, got "${major}"`);
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

function listUnitTests(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.test.ts')) found.push(relative(root, path));
    }
  };
  walk(join(root, 'test', 'unit'));
  return filters.length === 0 ? found : found.filter((f) => filters.some((filter) => f.includes(filter)));
}

function runTests(files: string[], tapFile: string): Promise<number> {
  const testArgs = [
    '--import',
    'tsx',
    '--test',
    // A hung test fails after two minutes instead of holding the run (and memory) indefinitely.
    '--test-timeout=120000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  return new Promise((resolvePromise) => {
    const child = spawn(nodeBin, testArgs, { cwd: root, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

function totals(tapFile: string): string {
  let tap = '';
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    return 'no TAP summary';
  }
  return ['tests', 'pass', 'fail', 'cancelled', 'skipped', 'todo']
    .map((key) => `${key} ${new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap)?.[1] ?? '?'}`)
    .join(', ');
}

const started = Date.now();
let exitCode = 1;
const tapFile = join(tmpdir(), `kafkats-node${major}-${process.pid}.tap`);
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

  const files = listUnitTests();
  if (files.length === 0)
    throw new Error(`no unit test files${filters.length ? ` match ${filters.join(', ')}` : ''}`);
  const testStarted = Date.now();
  exitCode = await runTests(files, tapFile);
  console.log(
    `\nNode ${version}: ${files.length} unit files, ${totals(tapFile)} in ${((Date.now() - testStarted) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  console.error(`test:node${major} failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  rmSync(tapFile, { force: true });
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${exitCode}`);
process.exit(exitCode);
