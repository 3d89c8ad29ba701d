/**
 * The test runner behind `npm test`:
 *
 *   tsx scripts/run-tests.ts <unit|integration|all|compat> [filter...]
 *
 * unit:        test/unit/**\/*.test.ts, no broker.
 * integration: test/integration/**\/*.test.ts (without *.compat.test.ts) against one shared
 *              single-node Kafka started here (or the one in KAFKA_BOOTSTRAP_SERVERS).
 * compat:      test/integration/**\/*.compat.test.ts against Kafka 3.9 (KAFKA_VERSION overrides).
 * all:         unit, then integration.
 *
 * Filters are substrings of the file path. Node 20's --test takes no globs, so files are listed
 * here. Output is node:test's spec reporter; a TAP copy goes to a temporary file so that this
 * script can print the `# pass N` / `# fail N` totals last.
 *
 * node:test waits forever by default, so a test stuck on an unbounded wait would hang the run
 * instead of failing: every run gets a `--test-timeout` (see `timeoutArgs`). The tests run on
 * the Node that runs this script (`process.execPath`); scripts/test-node-matrix.ts runs this
 * script under another Node major.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { attachKafka, type KafkaCluster, startKafka } from '../src/testing/index.js';

type Mode = 'unit' | 'integration' | 'compat' | 'reliability' | 'all';
const MODES: readonly Mode[] = ['unit', 'integration', 'compat', 'reliability', 'all'];

const root = resolve(import.meta.dirname, '..');
const workDir = mkdtempSync(join(tmpdir(), 'kafkats-tests-'));

function listTests(dir: string, accept: (file: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (accept(path)) found.push(path);
    }
  };
  walk(join(root, dir));
  return found;
}

/**
 * A `x.compat.test.ts` file also runs on Kafka 3.9. When a plain `x.test.ts` sits beside it
 * (both importing the same `x.shared.ts`), the plain one is the 4.x run and the compat file is
 * left out of the integration mode; a compat file with no twin runs in both modes.
 */
function hasPlainTwin(file: string): boolean {
  return file.endsWith('.compat.test.ts') && existsSync(file.replace(/\.compat\.test\.ts$/, '.test.ts'));
}

function select(mode: Exclude<Mode, 'all'>, filters: readonly string[]): string[] {
  const files =
    mode === 'unit'
      ? listTests('test/unit', (f) => f.endsWith('.test.ts'))
      : mode === 'integration'
        ? listTests('test/integration', (f) => f.endsWith('.test.ts') && !hasPlainTwin(f))
        : mode === 'reliability'
          ? listTests('test/reliability', (f) => f.endsWith('.test.ts'))
          : listTests('test/integration', (f) => f.endsWith('.compat.test.ts'));
  if (filters.length === 0) return files;
  return files.filter((f) => filters.some((filter) => relative(root, f).includes(filter)));
}

interface Totals {
  tests: number;
  pass: number;
  fail: number;
  cancelled: number;
  skipped: number;
  todo: number;
}

const totals: Totals = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };

function addTotals(tapFile: string): void {
  let tap = '';
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    return;
  }
  for (const key of Object.keys(totals) as (keyof Totals)[]) {
    const match = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap);
    if (match) totals[key] += Number(match[1]);
  }
}

/**
 * Per-test bounds. A test that legitimately needs longer sets its own `timeout` option.
 * Unit tests never wait on a broker, so a minute is already generous on a loaded machine.
 */
const TEST_TIMEOUT_MS = { unit: 60_000, broker: 300_000 } as const;
/**
 * Before Node 24, `--test-timeout` bounds each test *file* as a whole (the parent applies it to
 * the file and the file's own tests get no default), so it cannot be the per-test bound there:
 * those runtimes get a per-file bound long enough for the longest file (the 900 s fault runs,
 * a 600 s soak) and still stop a hung run. Node 24 applies it to each test.
 */
const FILE_TIMEOUT_MS = { unit: 600_000, broker: 2_400_000 } as const;
const nodeMajor = Number(process.versions.node.split('.')[0]);

/** KAFKATS_TEST_TIMEOUT_MS replaces the bound, e.g. for a soak of hours (`SOAK_SECONDS`). */
function timeoutArgs(kind: 'unit' | 'broker'): string[] {
  const override = process.env.KAFKATS_TEST_TIMEOUT_MS;
  if (override !== undefined && !/^\d+$/.test(override)) {
    throw new Error(`KAFKATS_TEST_TIMEOUT_MS must be a number of milliseconds, got "${override}"`);
  }
  const ms = override ? Number(override) : nodeMajor >= 24 ? TEST_TIMEOUT_MS[kind] : FILE_TIMEOUT_MS[kind];
  return [`--test-timeout=${ms}`];
}

let activeChild: ReturnType<typeof spawn> | undefined;

function runNodeTest(
  files: string[],
  env: NodeJS.ProcessEnv,
  serial: boolean,
  label: string,
): Promise<number> {
  const tapFile = join(workDir, `${label}.tap`);
  const args = [
    '--import',
    'tsx',
    '--test',
    ...(serial ? ['--test-concurrency=1'] : []),
    ...timeoutArgs(serial ? 'broker' : 'unit'),
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files.map((f) => relative(root, f)),
  ];
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    activeChild = child;
    child.on('exit', (code, signal) => {
      activeChild = undefined;
      addTotals(tapFile);
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

let cluster: KafkaCluster | undefined;
let stopping: Promise<void> | undefined;

function stopCluster(): Promise<void> {
  stopping ??= (async () => {
    if (cluster) {
      const c = cluster;
      cluster = undefined;
      await c.stop().catch((error: unknown) => console.error('stopping Kafka failed:', error));
    }
  })();
  return stopping;
}

async function provideCluster(mode: 'integration' | 'compat' | 'reliability'): Promise<NodeJS.ProcessEnv> {
  if (process.env.KAFKA_BOOTSTRAP_SERVERS) {
    cluster = await attachKafka();
    console.log(`Using the Kafka at KAFKA_BOOTSTRAP_SERVERS=${cluster.bootstrap}`);
  } else {
    const version = process.env.KAFKA_VERSION || (mode === 'compat' ? '3.9' : undefined);
    const started = Date.now();
    cluster = await startKafka({ version, log: (line) => console.log(`[kafka] ${line}`) });
    console.log(`[kafka] ${cluster.version} up in ${Date.now() - started} ms at ${cluster.bootstrap}`);
  }
  const descriptionPath = join(workDir, 'cluster.json');
  writeFileSync(descriptionPath, `${JSON.stringify(cluster.describe(), null, 2)}\n`);
  return {
    ...process.env,
    KAFKATS_TEST_CLUSTER: descriptionPath,
    KAFKA_BOOTSTRAP_SERVERS: cluster.bootstrap,
    KAFKA_VERSION: cluster.version,
  };
}

async function runMode(
  mode: Exclude<Mode, 'all'>,
  filters: readonly string[],
  quietIfEmpty: boolean,
): Promise<number> {
  const files = select(mode, filters);
  if (files.length === 0) {
    const what = filters.length > 0 ? ` matching ${filters.map((f) => `"${f}"`).join(', ')}` : '';
    console.log(`No ${mode} test files${what}.`);
    // An empty unit run or an unfiltered compat run (no compat tests written yet) is fine; a
    // filter that matches nothing is almost always a typo, and so is an empty integration suite.
    return quietIfEmpty || (mode === 'compat' && filters.length === 0) ? 0 : 1;
  }
  if (mode === 'unit') return runNodeTest(files, process.env, false, 'unit');
  const env = await provideCluster(mode);
  try {
    return await runNodeTest(files, env, true, mode);
  } finally {
    await stopCluster();
  }
}

function printTotals(): void {
  console.log('');
  for (const [key, value] of Object.entries(totals)) console.log(`# ${key} ${value}`);
}

async function main(): Promise<number> {
  const [modeArg, ...filters] = process.argv.slice(2);
  const mode = (modeArg ?? 'all') as Mode;
  if (!MODES.includes(mode)) {
    console.error(
      `Unknown mode "${modeArg}". Usage: tsx scripts/run-tests.ts <${MODES.join('|')}> [filter...]`,
    );
    return 2;
  }
  if (mode === 'all') {
    // With filters, one side matching nothing is expected (a filter names unit or integration files).
    const unitCode = await runMode('unit', filters, true);
    const integrationCode = await runMode('integration', filters, filters.length > 0);
    return unitCode || integrationCode;
  }
  return runMode(mode, filters, false);
}

console.log(`Node ${process.version} (${process.execPath})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    activeChild?.kill(signal);
    void stopCluster().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  exitCode = 1;
} finally {
  await stopCluster();
  printTotals();
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
