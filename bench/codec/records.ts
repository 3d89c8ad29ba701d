/**
 * Record codec throughput: encode and decode of one RecordBatch of 1,000 × 100-byte records
 * per codec, and CRC-32C speed. Prints numbers; asserts nothing.
 *
 *   npx tsx bench/codec/records.ts
 */
import { randomBytes } from 'node:crypto';
import { CompressionTypes, loadCompressionCodec } from '../../src/protocol/compression/index.js';
import {
  crc32c,
  decodeRecordBatches,
  encodeRecordBatch,
  type RecordInput,
} from '../../src/protocol/records/index.js';

const RECORDS = 1000;
const VALUE_SIZE = 100;

function makeRecords(): RecordInput[] {
  // Half random, half repetitive, so compressors have something to do but not everything.
  const now = Date.now();
  return Array.from({ length: RECORDS }, (_, i) => ({
    key: Buffer.from(`key-${i % 100}`),
    value: Buffer.concat([randomBytes(VALUE_SIZE / 2), Buffer.alloc(VALUE_SIZE / 2, i % 26)]),
    headers: [{ key: 'trace', value: Buffer.from('abc') }],
    timestamp: now + i,
  }));
}

async function timeIt(minMs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    await fn();
    iterations++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return elapsed / iterations;
}

const records = makeRecords();
const payloadBytes = RECORDS * VALUE_SIZE;
console.log(`RecordBatch of ${RECORDS} × ${VALUE_SIZE}-byte values (node ${process.version})`);
console.log('codec    batch bytes   encode ms   encode rec/s   decode ms   decode rec/s   decode MB/s');
for (const [name, compression] of Object.entries(CompressionTypes)) {
  await loadCompressionCodec(compression);
  const batch = await encodeRecordBatch({ compression, records });
  const enc = await timeIt(500, () => encodeRecordBatch({ compression, records }));
  const dec = await timeIt(500, () => decodeRecordBatches(batch)[0]!.recordsSync());
  console.log(
    `${name.padEnd(8)} ${String(batch.length).padStart(11)} ${enc.toFixed(3).padStart(11)} ${Math.round(
      RECORDS / (enc / 1000),
    )
      .toLocaleString('en')
      .padStart(14)} ${dec.toFixed(3).padStart(11)} ${Math.round(RECORDS / (dec / 1000))
      .toLocaleString('en')
      .padStart(14)} ${(payloadBytes / 1e6 / (dec / 1000)).toFixed(0).padStart(13)}`,
  );
}

const block = randomBytes(1024 * 1024);
const crcMs = await timeIt(500, () => crc32c(block));
console.log(`CRC-32C: ${(block.length / 1e6 / (crcMs / 1000)).toFixed(0)} MB/s over 1 MiB buffers`);
