/**
 * Runs the project's own node:test files under Bun or Deno (both implement `node:test`), with the
 * runtime binaries from the exact `bun` / `deno` devDependencies:
 *
 *   tsx scripts/test-runtime.ts <bun|deno> [--unit-only] [filter...]     (npm run test:bun / test:deno)
 *
 * 1. The whole unit suite, test/unit/**.
 * 2. An integration slice against one real single-node Kafka that this script starts under Node
 *    with the harness (as run-tests.ts does) and hands over in KAFKATS_TEST_CLUSTER: producer and
 *    compression codecs, transactions, consumer groups on the classic and the KIP-848 protocol,
 *    admin, and the TLS / SASL listeners (SLICE below).
 *
 * Filters are substrings of test file paths (both phases). Prints each phase's pass/fail counts
 * as the runtime reports them, then one summary line; exits non-zero when anything failed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { type KafkaCluster, startKafka } from '../src/testing/index.js';

type Runtime = 'bun' | 'deno';

/** The integration slice: what a user of each runtime relies on first. */
export const SLICE = [
  'test/integration/producer/produce.test.ts',
  'test/integration/producer/transactions.test.ts',
  'test/integration/consumer/classic-group.test.ts',
  'test/integration/consumer/kip848-group.test.ts',
  'test/integration/admin/basics.test.ts',
  'test/integration/network/listeners.compat.test.ts',
];

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runtime = args[0] as Runtime;
const unitOnly = args.includes('--unit-only');
const filters = args.slice(1).filter((a) => !a.startsWith('--'));
if (runtime !== 'bun' && runtime !== 'deno') {
  console.error('Usage: tsx scripts/test-runtime.ts <bun|deno> [--unit-only] [filter...]');
  process.exit(2);
}

const binary = join(root, 'node_modules', '.bin', runtime);

function unitFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.test.ts')) found.push(relative(root, path));
    }
  };
  walk(join(root, 'test', 'unit'));
  return found;
}

const pick = (files: string[]) =>
  filters.length === 0 ? files : files.filter((f) => filters.some((filter) => f.includes(filter)));

/**
 * bun: `bun test ./file…` (a path without ./ is a name filter), with a per-test timeout long
 * enough for a rebalance (bun's default is 5 s). deno: `--sloppy-imports` resolves the sources'
 * `.js` specifiers to the `.ts` files, `--no-check` leaves type checking to tsc.
 */
function command(files: string[]): string[] {
  if (runtime === 'bun') return ['test', '--timeout', '120000', ...files.map((f) => `./${f}`)];
  return ['test', '-A', '--no-check', '--sloppy-imports', ...files];
}

interface Counts {
  pass: number;
  fail: number;
  /** The runtime's own words for the counts. */
  text: string;
}

/**
 * The counts from the runtime's own summary. bun: ` N pass` / ` N fail`, one per it(). deno:
 * `ok | N passed (M steps) | K failed (L steps)`, where a describe() block or a top-level test is
 * a test and an it() inside a describe() a step; pass and fail add both, the text keeps deno's split.
 */
function counts(output: string): Counts | undefined {
  const plain = stripVTControlCharacters(output);
  if (runtime === 'bun') {
    const pass = /^\s*(\d+) pass$/m.exec(plain);
    const fail = /^\s*(\d+) fail$/m.exec(plain);
    if (!pass || !fail) return undefined;
    return { pass: Number(pass[1]), fail: Number(fail[1]), text: `${pass[1]} passed, ${fail[1]} failed` };
  }
  const m = /(?:ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(?: \((\d+) steps?\))?/.exec(
    plain,
  );
  if (!m) return undefined;
  const [passTests, passSteps, failTests, failSteps] = [m[1], m[2], m[3], m[4]].map((x) =>
    Number(x ?? 0),
  ) as [number, number, number, number];
  return {
    pass: passTests + passSteps,
    fail: failTests + failSteps,
    text: `${passTests} tests + ${passSteps} steps passed, ${failTests} tests + ${failSteps} steps failed`,
  };
}

function run(label: string, files: string[], env: NodeJS.ProcessEnv): Promise<Counts & { code: number }> {
  console.log(`\n==> ${runtime} ${label}: ${files.length} files`);
  return new Promise((done) => {
    const child = spawn(binary, command(files), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString('utf8');
      target.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      const c = counts(output);
      // No summary means the runner itself broke: count that as a failure, never as a pass.
      done({
        pass: c?.pass ?? 0,
        fail: c ? c.fail : 1,
        text: c?.text ?? 'no summary from the runner',
        code: code ?? (signal ? 1 : 0),
      });
    });
  });
}

const started = Date.now();
const workDir = mkdtempSync(join(tmpdir(), `kafkats-${runtime}-`));
let cluster: KafkaCluster | undefined;
let exitCode = 1;
const results: string[] = [];
try {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run npm ci (the ${runtime} devDependency)`);
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  console.log(`${runtime} ${version.replace(/^deno /, '')} from ${relative(root, binary)}`);

  let failed = false;
  const unit = pick(unitFiles());
  if (unit.length > 0) {
    const r = await run('unit', unit, process.env);
    results.push(`unit ${r.text}`);
    failed ||= r.fail > 0 || r.code !== 0;
  }
  const slice = unitOnly ? [] : pick(SLICE);
  if (slice.length > 0) {
    const kafkaStarted = Date.now();
    cluster = await startKafka({ log: (line) => console.log(`[kafka] ${line}`) });
    console.log(`[kafka] ${cluster.version} up in ${Date.now() - kafkaStarted} ms at ${cluster.bootstrap}`);
    const description = join(workDir, 'cluster.json');
    writeFileSync(description, `${JSON.stringify(cluster.describe(), null, 2)}\n`);
    const r = await run('integration', slice, {
      ...process.env,
      KAFKATS_TEST_CLUSTER: description,
      KAFKA_BOOTSTRAP_SERVERS: cluster.bootstrap,
      KAFKA_VERSION: cluster.version,
    });
    results.push(`integration (Kafka ${cluster.version}) ${r.text}`);
    failed ||= r.fail > 0 || r.code !== 0;
  }
  if (results.length === 0) {
    console.error(`No test files match ${filters.map((f) => `"${f}"`).join(', ')}`);
  } else {
    exitCode = failed ? 1 : 0;
  }
} catch (error) {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
} finally {
  await cluster?.stop().catch((error: unknown) => console.error('stopping Kafka failed:', error));
  rmSync(workDir, { recursive: true, force: true });
}
console.log(
  `\n# ${runtime}: ${results.join('; ') || 'nothing ran'} (${Math.round((Date.now() - started) / 1000)} s)`,
);
process.exit(exitCode);
