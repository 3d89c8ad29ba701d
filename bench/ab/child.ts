/**
 * One consume run for bench/ab/consume.ts: reads `--count` records of `--topic` from the beginning
 * with the kafkats of `--src` (a repository root; its src/ is imported), in a fresh group, with
 * `run({ eachMessage })` or `run({ eachBatch })`, and prints one JSON line. The measured phase is
 * the first record to the last; CPU is the process's (every thread) over the same phase and over
 * the whole run (connect to disconnect).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    src: { type: 'string' },
    bootstrap: { type: 'string' },
    topic: { type: 'string' },
    count: { type: 'string' },
    batch: { type: 'boolean', default: false },
    options: { type: 'string', default: '{}' },
  },
});
const root = resolve(values.src ?? '.');
const count = Number(values.count);
const { Kafka } = (await import(`${root}/src/kafka.ts`)) as typeof import('../../src/kafka.js');
const { logLevel } = (await import(`${root}/src/logger.ts`)) as typeof import('../../src/logger.js');

const kafka = new Kafka({
  clientId: `ab-${process.pid}`,
  brokers: [values.bootstrap!],
  logLevel: logLevel.ERROR,
});
const cpu0 = process.cpuUsage();
const consumer = kafka.consumer({
  groupId: `ab-${process.pid}-${Date.now()}`,
  ...JSON.parse(values.options!),
});
await consumer.connect();
await consumer.subscribe({ topics: [values.topic!], fromBeginning: true });

let seen = 0;
let duplicates = 0;
let first = 0;
let last = 0;
let cpuFirst = cpu0;
let cpuLast = cpu0;
const next = new Map<number, number>();
let finish!: () => void;
const done = new Promise<void>((r) => {
  finish = r;
});
// Per partition, records arrive in offset order: one below the next expected offset is a redelivery.
function add(partition: number, offset: number): void {
  if (seen === 0) {
    first = performance.now();
    cpuFirst = process.cpuUsage();
  }
  const expected = next.get(partition) ?? 0;
  if (offset < expected) duplicates++;
  else next.set(partition, offset + 1);
  if (++seen === count) {
    last = performance.now();
    cpuLast = process.cpuUsage();
    finish();
  }
}
const started = performance.now();
if (values.batch) {
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) add(batch.partition, Number(m.offset));
    },
  });
} else {
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      add(partition, Number(message.offset));
    },
  });
}
const timer = setTimeout(() => {
  console.error(`timed out: ${seen} of ${count}`);
  process.exit(2);
}, 300_000);
await done;
clearTimeout(timer);
await consumer.disconnect();
const cpuAll = process.cpuUsage(cpu0);
const ms = last - first;
const phaseCpuUs = cpuLast.user - cpuFirst.user + (cpuLast.system - cpuFirst.system);
const hwm = Number(
  /VmHWM:\s+(\d+)/.exec(
    await import('node:fs').then((fs) => fs.readFileSync('/proc/self/status', 'utf8')),
  )?.[1] ?? 0,
);
console.log(
  JSON.stringify({
    count: seen,
    duplicates,
    msgsPerSec: Math.round((count / ms) * 1000),
    measuredMs: Math.round(ms),
    startupMs: Math.round(first - started),
    cpuUsPerMsg: Number((phaseCpuUs / count).toFixed(3)),
    cpuSec: Number(((cpuAll.user + cpuAll.system) / 1e6).toFixed(2)),
    rssMb: Math.round(hwm / 1024),
  }),
);
process.exit(0);
