/**
 * Peak memory of a consumer reading records of very high compression ratio (not a timed test).
 *
 *   npm run bench:memory                       # starts a broker, 200 and 2,000 records
 *   npm run bench:memory -- --bootstrap host:port --counts 200,2000 --src /path/to/other/src
 *   npm run bench:memory -- --share            # the same with a share consumer (KIP-932, Kafka 4.x)
 *
 * Writes N records of 1,000,000 bytes of one repeated character with zstd (a few hundred KB in
 * the broker's log for 2,000), then consumes them in a child process with the consumer's
 * defaults and an `eachMessage` handler, and reports the child's peak RSS (VmHWM). Memory flat in
 * the compression ratio means the two peaks are close; the goal is at most 300 MB for 2,000.
 * `--src` points the child at other kafkats source trees, comma-separated (an A/B against an
 * older commit: each tree consumes the same topics). `--share` reads with `kafka.shareConsumer()`
 * (defaults, `share.auto.offset.reset=earliest` set on the group) instead.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const RECORD_BYTES = 1_000_000;
const RESULT = 'BOMB_RESULT ';

function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: getrusage's maxRSS (KiB)
  }
  return process.resourceUsage().maxRSS / 1024;
}

type KafkaModule = typeof import('../../src/index.js');

async function loadKafkats(src: string): Promise<KafkaModule> {
  return (await import(pathToFileURL(join(src, 'index.ts')).href)) as KafkaModule;
}

/** What the child needs of a consumer: the classic and share consumers both have it. */
interface BombConsumer {
  connect(): Promise<void>;
  subscribe(s: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(o: { eachMessage(p: { message: { value: Buffer | null } }): Promise<void> }): Promise<void>;
  disconnect(): Promise<void>;
}

/** A consumer with defaults; a share group is first told to start at the earliest offset. */
async function newConsumer(
  kafka: InstanceType<KafkaModule['Kafka']>,
  groupId: string,
  share: boolean,
): Promise<BombConsumer> {
  if (!share) return kafka.consumer({ groupId });
  const admin = kafka.admin();
  await admin.connect();
  await admin.alterShareGroupConfigs({ groupId, configs: { 'share.auto.offset.reset': 'earliest' } });
  await admin.disconnect();
  return kafka.shareConsumer({ groupId }) as unknown as BombConsumer;
}

/** The child: consume `count` records of `topic` with defaults, then print the peak RSS. */
async function child(
  bootstrap: string,
  topic: string,
  count: number,
  src: string,
  share: boolean,
): Promise<void> {
  const { Kafka, logLevel } = await loadKafkats(src);
  const kafka = new Kafka({ clientId: 'bomb-consumer', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = await newConsumer(kafka, `bomb-${topic}-${Date.now()}`, share);
  const startRss = peakRssMb();
  let seen = 0;
  let bytes = 0;
  const started = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = new Promise<void>((resolveDone) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        bytes += message.value?.length ?? 0;
        if (++seen === count) resolveDone();
      },
    });
  });
  await done;
  const seconds = (Date.now() - started) / 1000;
  const report = { count: seen, bytes, seconds, peakRssMb: peakRssMb(), startRssMb: startRss };
  process.stdout.write(`${RESULT}${JSON.stringify(report)}\n`);
  await consumer.disconnect();
}

function runChild(
  args: string[],
): Promise<{ count: number; bytes: number; seconds: number; peakRssMb: number }> {
  return new Promise((resolveRun, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (line) resolveRun(JSON.parse(line.slice(RESULT.length)));
      else reject(new Error(`consumer child exited with ${code} and no result:\n${out}`));
    });
  });
}

async function produce(bootstrap: string, topic: string, count: number): Promise<number> {
  const { Kafka, logLevel, CompressionTypes } = await loadKafkats(resolve(HERE, '../../src'));
  const kafka = new Kafka({ clientId: 'bomb-producer', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(RECORD_BYTES, 'x');
  for (let i = 0; i < count; i += 50) {
    const n = Math.min(50, count - i);
    await producer.send({
      topic,
      compression: CompressionTypes.ZSTD,
      messages: Array.from({ length: n }, () => ({ value })),
    });
  }
  await producer.disconnect();
  const dirs = await admin.describeLogDirs({ topics: [{ topic, partitions: [0] }] });
  await admin.disconnect();
  let size = 0;
  for (const dir of dirs) for (const t of dir.topics) for (const p of t.partitions) size += Number(p.size);
  return size;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean', default: false },
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      count: { type: 'string' },
      counts: { type: 'string', default: '200,2000' },
      src: { type: 'string', default: resolve(HERE, '../../src') },
      share: { type: 'boolean', default: false },
    },
  });
  const srcs = values.src.split(',').map((s) => resolve(s));
  if (values.child) {
    await child(values.bootstrap!, values.topic!, Number(values.count), srcs[0]!, values.share);
    return;
  }
  let cluster: { bootstrap: string; stop(): Promise<void> } | undefined;
  let bootstrap = values.bootstrap;
  if (bootstrap === undefined) {
    const { startKafka } = await import('../../src/testing/index.js');
    cluster = await startKafka({ heapMb: 1024 });
    bootstrap = cluster.bootstrap.split(',')[0]!;
  }
  try {
    const rows: string[] = [];
    for (const count of values.counts.split(',').map(Number)) {
      const topic = `bomb-${count}-${Date.now()}`;
      const logBytes = await produce(bootstrap, topic, count);
      for (const src of srcs) {
        const args = ['--bootstrap', bootstrap, '--topic', topic, '--count', String(count), '--src', src];
        if (values.share) args.push('--share');
        const r = await runChild(args);
        rows.push(
          `| ${src} | ${count} × 1 MB zstd | ${(logBytes / 1024).toFixed(0)} KB | ${(r.bytes / 1e9).toFixed(2)} GB | ${r.seconds.toFixed(1)} s | ${r.peakRssMb.toFixed(0)} MB |`,
        );
        console.log(rows[rows.length - 1]);
      }
    }
    console.log(`\n${values.share ? 'share consumer' : 'consumer'}, defaults, eachMessage`);
    console.log('| source | records | in the log | consumed | time | peak RSS |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    await cluster?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
