/**
 * The consumer's per-record path without a broker: CRC check and decode of a ~1 MB record set
 * (60 batches × 160 records × 100 B, one partition's fetch), then per record what run({ eachMessage })
 * does around the handler (toKafkaMessage, a payload, an awaited async handler, resolveOffset).
 *
 *   npx tsx bench/micro/consume-path.ts [--src DIR] [--rounds N]
 *
 * `--src` points at another copy of the repository (its src/ is imported), for before/after
 * comparisons in one time window: copy the tree before a change, then run both alternately.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { src: { type: 'string' }, rounds: { type: 'string', default: '300' } },
});
const root = resolve(values.src ?? resolve(import.meta.dirname, '../..'));
const rounds = Number(values.rounds);

const records = (await import(
  `${root}/src/protocol/records/index.ts`
)) as typeof import('../../src/protocol/records/index.js');
const payloads = (await import(
  `${root}/src/consumer/payloads.ts`
)) as typeof import('../../src/consumer/payloads.js');
const offsets = (await import(
  `${root}/src/consumer/offsets.ts`
)) as typeof import('../../src/consumer/offsets.js');

const value = Buffer.alloc(100, 97);
const batches: Buffer[] = [];
for (let b = 0, offset = 0; b < 60; b++, offset += 160) {
  // As the producer writes them: one timestamp per send() call.
  const input = Array.from({ length: 160 }, () => ({ timestamp: 1_700_000_000_000 + b, key: null, value }));
  batches.push(records.encodeRecordBatchSync({ baseOffset: offset, records: input }));
}
const recordSet = Buffer.concat(batches);
const tracker = new offsets.OffsetTracker({
  autoCommit: true,
  autoCommitInterval: null,
  autoCommitThreshold: null,
});
const heartbeat = async () => {};
const pause = () => () => {};
let bytes = 0;
const handler = async (p: { message: { value: Buffer | null }; heartbeat: unknown; pause: unknown }) => {
  bytes += p.message.value?.length ?? 0;
};

async function round(): Promise<number> {
  const decoded = records.decodeRecordSet(recordSet).batches;
  const all = [];
  for (const b of decoded) for (const r of await b.records()) all.push(r);
  for (const r of all) {
    const message = payloads.toKafkaMessage(r);
    await handler({ message, heartbeat, pause });
    tracker.resolveOffset('t', 0, r.offset);
  }
  return all.length;
}

for (let i = 0; i < Math.min(100, rounds); i++) await round(); // warm-up
const cpu = process.cpuUsage();
const t0 = process.hrtime.bigint();
let n = 0;
for (let i = 0; i < rounds; i++) n += await round();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const used = process.cpuUsage(cpu);
console.log(
  `${root}: ${bytes > 0 ? '' : '(no bytes?) '}${((n / ms) * 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })} records/s ` +
    `(${n.toLocaleString('en-US')} records in ${ms.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`,
);
