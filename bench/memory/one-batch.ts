/**
 * Peak memory of reading one compressed batch of many large records (not a timed test):
 *
 *   npx tsx bench/memory/one-batch.ts [--records 200] [--codec zstd] [--whole]
 *
 * Encodes one batch of N records of 1,000,000 bytes of one character, then reads it record by
 * record with `openRecords()` (or whole with `records()` under `--whole`) in a fresh process that
 * only reads the encoded batch from a file, and prints that process's peak RSS (VmHWM). Incremental decompression keeps the first near one record plus one piece; the
 * whole decode holds the batch's N MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CompressionTypes } from '../../src/protocol/compression/index.js';
import { decodeRecordSet } from '../../src/protocol/records/decode.js';
import { encodeRecordBatch } from '../../src/protocol/records/encode.js';

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200' },
    codec: { type: 'string', default: 'zstd' },
    whole: { type: 'boolean', default: false },
  },
});
const codecs: Record<string, number> = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};
const count = Number(values.records);
const file = join(tmpdir(), `kafkats-one-batch-${values.codec}-${count}.bin`);
if (!existsSync(file)) {
  // Encoding holds the whole uncompressed batch: done in another process, so it does not count.
  if (process.env.ONE_BATCH_ENCODE !== '1') {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {
        env: { ...process.env, ONE_BATCH_ENCODE: '1' },
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) process.exit(r.status ?? 1);
  } else {
    const value = Buffer.alloc(1_000_000, 'x');
    const encoded = await encodeRecordBatch({
      compression: codecs[values.codec] as 4,
      records: Array.from({ length: count }, () => ({ value, timestamp: 1 })),
    });
    writeFileSync(file, encoded);
    process.exit(0);
  }
}
const bytes = readFileSync(file);
const encodedRss = peakRssMb();
const [batch] = decodeRecordSet(bytes, { maxDecompressedBatchBytes: 2 ** 40 }).batches;
let total = 0;
if (values.whole) {
  for (const r of await batch!.records()) total += r.value!.length;
} else {
  const cursor = await batch!.openRecords();
  for (let r = cursor.next(); r !== undefined; r = cursor.next()) total += r.value!.length;
}
console.log(
  `${values.codec}, ${count} × 1 MB in one batch of ${(bytes.length / 1024).toFixed(0)} KB, ${values.whole ? 'records()' : 'openRecords()'}: ` +
    `${(total / 1e6).toFixed(0)} MB read, peak RSS ${peakRssMb().toFixed(0)} MB (${encodedRss.toFixed(0)} MB before reading)`,
);
