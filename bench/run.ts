/**
 * The side-by-side benchmark: `npm run bench` (see docs/benchmarks.md).
 *
 *   npm run bench -- [--rounds 3] [--scale 1] [--scenarios a,b] [--clients a,b] [--profile]
 *                    [--timeout 900] [--bootstrap host:port] [--no-install] [--out bench/results]
 *                    [--kafkats-options '{"producer":{"batchSize":65536}}'] [--warmup 500000]
 *
 * Starts a fresh local broker through the harness, creates the topics (6 partitions), and runs
 * every scenario for every client in alternation (A B C … A B C, once per round), each run in
 * its own process. Writes bench/results/latest.{json,md,svg}.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kafka } from '../src/kafka.js';
import { logLevel } from '../src/logger.js';
import { cacheRoot, startKafka } from '../src/testing/index.js';
import { unsupportedReason } from './lib/capabilities.js';
import { ensureJavaPerf, JAVA_TOOLS_VERSION, runJava } from './lib/java.js';
import { type ClientSummary, type Results, summarize, writeResults } from './lib/report.js';
import { payload, SCENARIOS, scaled, scenarioDef } from './lib/scenarios.js';
import {
  type ChildReport,
  CLIENTS,
  type ClientName,
  RESULT_PREFIX,
  type RunRecord,
  type RunSpec,
  type Scenario,
} from './lib/types.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const PARTITIONS = 6;

/** The npm package behind each Node peer client. */
const PEER_PACKAGES: Partial<Record<ClientName, string>> = {
  kafkajs: 'kafkajs',
  platformatic: '@platformatic/kafka',
  rdkafka: 'node-rdkafka',
};

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function list(value: string | undefined, all: readonly string[]): string[] {
  if (!value) return [...all];
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!all.includes(item)) throw new Error(`unknown '${item}'; choose from ${all.join(', ')}`);
  }
  return items;
}

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      scale: { type: 'string', default: '1' },
      scenarios: { type: 'string' },
      clients: { type: 'string' },
      timeout: { type: 'string', default: '900' },
      bootstrap: { type: 'string' },
      out: { type: 'string', default: join(BENCH_DIR, 'results') },
      profile: { type: 'boolean', default: false },
      'no-install': { type: 'boolean', default: false },
      'kafkats-options': { type: 'string' },
      warmup: { type: 'string', default: '500000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    log(
      'usage: npm run bench -- [--rounds N] [--scale F] [--scenarios a,b] [--clients a,b] [--profile]\n' +
        '                        [--timeout SECONDS] [--bootstrap host:port] [--no-install] [--out DIR]\n' +
        '                        [--kafkats-options JSON]  (e.g. {"producer":{"batchSize":65536}})\n' +
        '                        [--warmup RECORDS]  (untimed broker warm-up, default 500000; 0 skips it)\n' +
        `scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\nclients: ${CLIENTS.join(', ')}`,
    );
    process.exit(0);
  }
  const rounds = Number(values.rounds);
  const scale = Number(values.scale);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  return {
    rounds,
    scale,
    scenarios: list(
      values.scenarios,
      SCENARIOS.map((s) => s.name),
    ),
    clients: list(values.clients, CLIENTS) as ClientName[],
    timeoutMs: Number(values.timeout) * 1000,
    bootstrap: values.bootstrap,
    out: resolve(values.out),
    profile: values.profile,
    install: !values['no-install'],
    warmup: Number(values.warmup),
    kafkatsOptions: values['kafkats-options']
      ? (JSON.parse(values['kafkats-options']) as RunSpec['clientOptions'])
      : undefined,
  };
}

function installed(pkg: string): string | undefined {
  const file = join(BENCH_DIR, 'node_modules', pkg, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Installs bench/'s own dependencies (the peer clients) when one is missing. */
function ensureBenchDeps(clients: ClientName[], install: boolean): void {
  const missing = clients.map((c) => PEER_PACKAGES[c]).filter((p): p is string => !!p && !installed(p));
  if (missing.length === 0 || !install) return;
  const lock = existsSync(join(BENCH_DIR, 'package-lock.json'));
  const args = [lock ? 'ci' : 'install', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'];
  log(`installing the bench's peer clients (${missing.join(', ')}): npm ${args.join(' ')}`);
  log('  (node-rdkafka compiles librdkafka: a few minutes)');
  const r = spawnSync('npm', args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0)
    log(`npm ${args[0]} failed (${String(r.status)}); clients that did not install are skipped`);
}

function clientVersions(): Record<string, string> {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const v: Record<string, string> = { kafkats: `${root.version} (src via tsx)` };
  for (const [client, pkg] of Object.entries(PEER_PACKAGES)) {
    const version = installed(pkg);
    if (version) v[client] = version;
  }
  const rd = join(BENCH_DIR, 'node_modules', 'node-rdkafka', 'package.json');
  if (existsSync(rd)) {
    const lib = (JSON.parse(readFileSync(rd, 'utf8')) as { librdkafka?: string }).librdkafka;
    if (lib) v.rdkafka += ` (librdkafka ${lib})`;
  }
  v.java = `kafka-clients ${JAVA_TOOLS_VERSION} (ProducerPerformance / ConsumerPerformance)`;
  return v;
}

interface ChildOutcome {
  report?: ChildReport;
  error?: string;
  wallSec: number;
}

/** Runs one Node client run in a child process and reads its one result line. */
function runChild(spec: RunSpec, timeoutMs: number, profileDir?: string): Promise<ChildOutcome> {
  const started = performance.now();
  const args = ['--import', 'tsx'];
  if (profileDir) args.push('--cpu-prof', '--cpu-prof-dir', profileDir);
  args.push(join(BENCH_DIR, 'child.ts'), JSON.stringify(spec));
  return new Promise((resolveRun) => {
    const child: ChildProcess = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallSec = (performance.now() - started) / 1000;
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line && code === 0) {
        resolveRun({ report: JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildReport, wallSec });
        return;
      }
      const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited ${String(code)}`;
      // The message is at the top of a stack trace; keep it and the last lines.
      const lines = stderr.trim().split('\n');
      const tail =
        lines.length > 40 ? [...lines.slice(0, 30), '…', ...lines.slice(-6)].join('\n') : lines.join('\n');
      resolveRun({ error: `${why}${tail ? `: ${tail}` : ''}`, wallSec });
    });
  });
}

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date().toISOString();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  ensureBenchDeps(opts.clients, opts.install);

  const available = new Map<ClientName, string | undefined>(); // client → reason it cannot run
  for (const client of opts.clients) {
    const pkg = PEER_PACKAGES[client];
    available.set(
      client,
      pkg && !installed(pkg) ? `${pkg} is not installed in bench/node_modules` : undefined,
    );
  }
  let javaClasspath: string | undefined;
  // Payload files and GNU time's output for the Java runs; removed at the end.
  const javaWorkDir = await mkdtemp(join(tmpdir(), 'kafkats-bench-java-'));
  if (opts.clients.includes('java')) {
    try {
      javaClasspath = await ensureJavaPerf(cacheRoot(), log);
    } catch (error) {
      available.set('java', `kafka-tools unavailable: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  log(opts.bootstrap ? `using the cluster at ${opts.bootstrap}` : 'starting a fresh local Kafka broker…');
  const cluster = opts.bootstrap ? undefined : await startKafka({ heapMb: 1024, log: (l) => log(`  ${l}`) });
  const brokers = opts.bootstrap ? opts.bootstrap.split(',') : cluster!.brokers;
  const kafka = new Kafka({ clientId: 'bench-orchestrator', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();

  const results: Results = {
    machine: {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      kernel: release(),
      loadAvg: load,
      note: 'the broker runs on the same machine as the clients',
    },
    node: process.version,
    kafka: cluster?.version ?? 'external',
    kafkaTools: JAVA_TOOLS_VERSION,
    clients: clientVersions(),
    settings: {
      scale: opts.scale,
      rounds: opts.rounds,
      partitions: PARTITIONS,
      kafkatsOptions: opts.kafkatsOptions,
      scenarios: Object.fromEntries(opts.scenarios.map((n) => [n, scaled(scenarioDef(n), opts.scale)])),
    },
    startedAt,
    scenarios: {},
  };

  const createTopic = async (topic: string): Promise<void> => {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
  };

  /** Writes `count` records of `size` bytes to `topic`, spread evenly over its partitions. */
  const fill = async (topic: string, count: number, size: number): Promise<void> => {
    const producer = kafka.producer({ lingerMs: 5, batchSize: 256 * 1024 });
    await producer.connect();
    const value = payload(size);
    const chunk = 1000;
    const pending = new Set<Promise<unknown>>();
    for (let i = 0, c = 0; i < count; i += chunk, c++) {
      const n = Math.min(chunk, count - i);
      const messages = Array.from({ length: n }, () => ({ value, partition: c % PARTITIONS }));
      const p = producer.send({ topic, messages });
      pending.add(p);
      p.finally(() => pending.delete(p)).catch(() => undefined);
      if (pending.size >= 64) await Promise.race(pending);
    }
    await Promise.all(pending);
    await producer.disconnect();
  };

  // A fresh broker's JVM is cold: without this, whichever client runs first measures the broker's
  // JIT warm-up (seen as a 2× slower first run). Not timed, deleted afterwards.
  if (opts.warmup > 0) {
    const topic = `bench-warm-up-${Date.now()}`;
    log(`warming the broker up: ${opts.warmup.toLocaleString('en-US')} × 100 B, produced and deleted…`);
    await createTopic(topic);
    await fill(topic, opts.warmup, 100);
    await admin.deleteTopics({ topics: [topic] });
  }

  // Consume scenarios read one pre-filled topic per source, filled once with the largest count needed.
  const filled = new Map<string, { topic: string; count: number }>();
  const fillSource = async (source: string, scenario: Scenario): Promise<string> => {
    const need = Math.max(
      ...opts.scenarios
        .map((n) => scaled(scenarioDef(n), opts.scale))
        .filter((s) => s.source === source)
        .map((s) => s.count),
    );
    const have = filled.get(source);
    if (have && have.count >= need) return have.topic;
    const topic = `bench-source-${source}-${Date.now()}`;
    await createTopic(topic);
    log(
      `filling ${topic} with ${need.toLocaleString('en-US')} × ${scenario.size} B (kafkats producer, even over ${PARTITIONS} partitions)…`,
    );
    await fill(topic, need, scenario.size);
    filled.set(source, { topic, count: need });
    return topic;
  };

  const total = opts.scenarios.length * opts.rounds * opts.clients.length;
  let index = 0;
  // Straight into the results directory, where .gitignore keeps *.cpuprofile out of git.
  const profileDir = opts.profile ? opts.out : undefined;
  try {
    for (const name of opts.scenarios) {
      const scenario = scaled(scenarioDef(name), opts.scale);
      const byClient: Partial<Record<ClientName, ClientSummary>> = {};
      results.scenarios[name] = byClient;
      const { source, ...runScenario } = scenario;
      const consumeTopic = source ? await fillSource(source, scenario) : undefined;
      for (let round = 1; round <= opts.rounds; round++) {
        for (const client of opts.clients) {
          index++;
          byClient[client] ??= { runs: [] };
          const entry = byClient[client];
          const reason = available.get(client) ?? unsupportedReason(client, scenario);
          if (reason) {
            entry.unsupported = reason;
            if (round === 1) log(`[${index}/${total}] ${name} ${client}: skipped (${reason})`);
            continue;
          }
          const stamp = `${Date.now().toString(36)}`;
          const topic = consumeTopic ?? `bench-${name}-${client}-r${round}-${stamp}`;
          if (!consumeTopic) await createTopic(topic);
          const spec: RunSpec = {
            client,
            scenario: runScenario,
            brokers,
            topic,
            groupId: `bench-${name}-${client}-r${round}-${stamp}`,
            cacheDir: cacheRoot(),
          };
          if (client === 'kafkats' && opts.kafkatsOptions) spec.clientOptions = opts.kafkatsOptions;
          let outcome: ChildOutcome;
          if (client === 'java') {
            const started = performance.now();
            try {
              const report = await runJava(spec, javaClasspath!, javaWorkDir, opts.timeoutMs);
              outcome = { report, wallSec: (performance.now() - started) / 1000 };
            } catch (error) {
              outcome = { error: (error as Error).message, wallSec: (performance.now() - started) / 1000 };
            }
          } else {
            outcome = await runChild(spec, opts.timeoutMs, client === 'kafkats' ? profileDir : undefined);
          }
          if (!consumeTopic) await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
          const tag = `[${index}/${total}] ${name} ${client} round ${round}`;
          if (!outcome.report) {
            entry.errors ??= [];
            entry.errors.push(outcome.error ?? 'unknown error');
            log(`${tag}: FAILED ${outcome.error}`);
            continue;
          }
          const { result, cpuSec, rssMb } = outcome.report;
          const record: RunRecord = {
            ...result,
            round,
            msgsPerSec: result.count / result.seconds,
            mbPerSec: result.bytes / result.seconds / 2 ** 20,
            cpuSec,
            rssMb,
            wallSec: outcome.wallSec,
          };
          entry.runs.push(record);
          summarize(entry);
          const lat =
            record.p99Ms !== undefined
              ? `, p50 ${record.p50Ms!.toFixed(1)} ms p99 ${record.p99Ms.toFixed(1)} ms`
              : '';
          log(
            `${tag}: ${Math.round(record.msgsPerSec).toLocaleString('en-US')} msgs/s, ${record.mbPerSec.toFixed(1)} MB/s${lat}, ` +
              `CPU ${cpuSec.toFixed(2)} s, RSS ${rssMb.toFixed(0)} MB (${outcome.wallSec.toFixed(1)} s)${result.note ? ` [${result.note}]` : ''}`,
          );
        }
      }
      // Results so far, so that an interrupted run leaves something to read.
      await writeResults(opts.out, results);
    }
  } finally {
    results.finishedAt = new Date().toISOString();
    results.machine.loadAvgAtEnd = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    await writeResults(opts.out, results);
    await admin.disconnect().catch(() => undefined);
    await cluster?.stop();
    await rm(javaWorkDir, { recursive: true, force: true });
  }
  log(`results: ${join(opts.out, 'latest.md')} (and latest.json, latest.svg)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
