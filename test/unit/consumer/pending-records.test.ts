import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PendingRecords } from '../../../src/consumer/record-filter.js';
import { CompressionTypes } from '../../../src/protocol/compression/index.js';
import { crc32c } from '../../../src/protocol/records/crc.js';
import { decodeRecordSet } from '../../../src/protocol/records/decode.js';
import { encodeRecordBatch } from '../../../src/protocol/records/encode.js';
import { KafkaJSRecordBatchDecodeError } from '../../../src/protocol/records/errors.js';
import { BATCH_OFFSETS } from '../../../src/protocol/records/types.js';

const MB = 1_000_000;

async function batch(baseOffset: number, values: Buffer[], compression: number): Promise<Buffer> {
  return encodeRecordBatch({
    baseOffset,
    compression: compression as 0,
    records: values.map((value) => ({ value, timestamp: 1 })),
  });
}

describe('PendingRecords: fetched batches handed out within a byte budget', () => {
  it('hands out 1 MB zstd records a few at a time, never more than the budget plus one record', async () => {
    const big = Array.from({ length: 10 }, (_, i) => Buffer.alloc(MB, 97 + i));
    const set = Buffer.concat([
      await batch(0, big.slice(0, 6), CompressionTypes.ZSTD),
      await batch(6, big.slice(6), CompressionTypes.ZSTD),
    ]);
    const pending = new PendingRecords('t', 0, decodeRecordSet(set).batches, 0);
    const pieces: number[][] = [];
    while (!pending.done) {
      const { records, bytes } = await pending.take(2.5 * MB);
      assert.ok(bytes < 2.5 * MB + MB + 100, `a piece of ${bytes} bytes`);
      pieces.push(records.map((r) => r.offset));
      for (const r of records) assert.ok(r.value!.equals(big[r.offset]!));
    }
    assert.deepEqual(pieces, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  });

  it('a record larger than the budget is handed out alone', async () => {
    const set = await batch(0, [Buffer.alloc(3 * MB, 1), Buffer.alloc(3 * MB, 2)], CompressionTypes.LZ4);
    const pending = new PendingRecords('t', 0, decodeRecordSet(set).batches, 0);
    assert.deepEqual(
      (await pending.take(1000)).records.map((r) => r.offset),
      [0],
    );
    assert.deepEqual(
      (await pending.take(1000)).records.map((r) => r.offset),
      [1],
    );
    assert.equal(pending.done, true);
  });

  it('skips records below the fetch offset inside a compressed batch', async () => {
    const set = await batch(
      10,
      [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')],
      CompressionTypes.GZIP,
    );
    const pending = new PendingRecords('t', 0, decodeRecordSet(set).batches, 12);
    assert.deepEqual(
      (await pending.take(MB)).records.map((r) => r.offset),
      [12],
    );
  });

  it('an unreadable batch: the records before it first, then a typed error at its offset, every time', async () => {
    const good = await batch(0, [Buffer.from('x'), Buffer.from('y')], CompressionTypes.None);
    const bad = Buffer.from(await batch(2, [Buffer.alloc(100_000, 7)], CompressionTypes.ZSTD));
    bad.fill(0x5a, 61 + 10);
    bad.writeUInt32BE(crc32c(bad, BATCH_OFFSETS.attributes), BATCH_OFFSETS.crc);
    const pending = new PendingRecords('orders', 3, decodeRecordSet(Buffer.concat([good, bad])).batches, 0);
    assert.deepEqual(
      (await pending.take(MB)).records.map((r) => r.offset),
      [0, 1],
    );
    for (let i = 0; i < 2; i++) {
      await assert.rejects(pending.take(MB), (err: unknown) => {
        assert.ok(err instanceof KafkaJSRecordBatchDecodeError);
        assert.equal(err.topic, 'orders');
        assert.equal(err.partition, 3);
        assert.equal(err.offset, 2);
        assert.equal(err.nextOffset, 3);
        assert.equal(err.retriable, false);
        return true;
      });
    }
    assert.equal(pending.done, false);
  });

  it('a batch over maxDecompressedBatchBytes fails with the limit error as cause', async () => {
    const set = await batch(0, [Buffer.alloc(2 * MB, 1)], CompressionTypes.Snappy);
    const pending = new PendingRecords(
      't',
      0,
      decodeRecordSet(set, { maxDecompressedBatchBytes: MB }).batches,
      0,
    );
    await assert.rejects(
      pending.take(10 * MB),
      (err: unknown) =>
        err instanceof KafkaJSRecordBatchDecodeError &&
        (err.cause as Error).name === 'KafkaJSDecompressionLimitError' &&
        err.offset === 0,
    );
  });
});
