/**
 * One produce run for bench/ab/produce.ts: sends the `--count` distinct 100-byte keyless records
 * of `--data` (a file of count × size bytes from bench/lib/data.ts) to `--topic` with the kafkats
 * of `--src` (a repository root; its src/ is imported), at the `fair` settings, and prints one
 * JSON line. As bench/: arrays of 1,000 records per send(), 64 sends outstanding, the accumulator
 * batches. The measured phase is the first send() to the last acknowledgement, after an untimed
 * warm-up through the same path; CPU is the process's (every thread) over that phase.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Dataset, warmValue } from '../lib/data.js';
import { FAIR_BATCH_BYTES, FAIR_LINGER_MS } from '../lib/settings.js';

const { values } = parseArgs({
  options: {
    src: { type: 'string' },
    bootstrap: { type: 'string' },
    topic: { type: 'string' },
    count: { type: 'string' },
    size: { type: 'string', default: '100' },
    data: { type: 'string' },
    warmup: { type: 'string', default: '100000' },
    options: { type: 'string', default: '{}' },
  },
});
const root = resolve(values.src ?? '.');
const count = Number(values.count);
const size = Number(values.size);
const { Kafka } = (await import(`${root}/src/kafka.ts`)) as typeof import('../../src/kafka.js');
const { logLevel } = (await import(`${root}/src/logger.ts`)) as typeof import('../../src/logger.js');

const data = new Dataset(readFileSync(values.data!), 0, count, size);
const kafka = new Kafka({
  clientId: `ab-${process.pid}`,
  brokers: [values.bootstrap!],
  logLevel: logLevel.ERROR,
});
const topic = values.topic!;

/** The sum of the topic's high watermarks: the gate checks that every record landed once. */
async function endOffsets(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.reduce((n, o) => n + Number(o.high), 0);
}

const CHUNK = 1000;
const WINDOW = 64;
/** Sends records [0, n) as `make(from, k)` arrays, WINDOW calls outstanding; resolves when all are acknowledged. */
async function inChunks(n: number, make: (from: number, k: number) => { value: Buffer }[]): Promise<void> {
  const window: Promise<unknown>[] = [];
  for (let from = 0; from < n; from += CHUNK) {
    const k = Math.min(CHUNK, n - from);
    window.push(producer.send({ topic, messages: make(from, k), acks: -1 }));
    if (window.length >= WINDOW) await window.shift();
  }
  await Promise.all(window);
}

const producer = kafka.producer({
  batchSize: FAIR_BATCH_BYTES,
  lingerMs: FAIR_LINGER_MS,
  idempotent: true,
  ...JSON.parse(values.options!),
});
await producer.connect();
const warmup = Number(values.warmup);
const warm = warmValue(size);
await inChunks(warmup, (_from, k) => Array.from({ length: k }, () => ({ value: warm })));
const before = await endOffsets();

const cpu0 = process.cpuUsage();
const t0 = performance.now();
await inChunks(count, (from, k) => {
  const messages = new Array<{ value: Buffer }>(k);
  for (let i = 0; i < k; i++) messages[i] = { value: data.value(from + i) };
  return messages;
});
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await producer.disconnect();
const landed = (await endOffsets()) - before;
const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
console.log(
  JSON.stringify({
    count: landed,
    msgsPerSec: Math.round((count / ms) * 1000),
    measuredMs: Math.round(ms),
    cpuUsPerMsg: Number(((cpu.user + cpu.system) / count).toFixed(3)),
    cpuSec: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    rssMb: Math.round(hwm / 1024),
  }),
);
process.exit(0);
