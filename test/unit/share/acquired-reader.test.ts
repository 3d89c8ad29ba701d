import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionTypes, loadCompressionCodec } from '../../../src/protocol/compression/index.js';
import { decodeRecordSet } from '../../../src/protocol/records/decode.js';
import { encodeRecordBatch } from '../../../src/protocol/records/encode.js';
import type { KafkaJSRecordBatchDecodeError } from '../../../src/protocol/records/errors.js';
import { PartitionAcks } from '../../../src/share/ack.js';
import { AcquiredReader } from '../../../src/share/acquired-reader.js';

const KB = 1000;

/** One zstd batch at `baseOffset` of `count` records of `size` bytes (one repeated character). */
async function batch(baseOffset: number, count: number, size: number): Promise<Buffer> {
  await loadCompressionCodec(CompressionTypes.ZSTD);
  return encodeRecordBatch({
    baseOffset,
    compression: CompressionTypes.ZSTD,
    records: Array.from({ length: count }, () => ({ value: Buffer.alloc(size, 'x'), timestamp: 0 })),
  });
}

function reader(
  records: Buffer,
  ranges: Array<{ first: number; last: number; count: number }>,
  options: { maxDecompressedBatchBytes?: number; deadline?: number } = {},
) {
  const acks = new PartitionAcks('t', 0);
  const errors: KafkaJSRecordBatchDecodeError[] = [];
  const batches = decodeRecordSet(records, options).batches;
  const r = new AcquiredReader('t', 0, batches, ranges, acks, options.deadline ?? Date.now() + 60_000, (e) =>
    errors.push(e),
  );
  return { r, acks, errors };
}

describe('AcquiredReader', () => {
  it('decodes a budget of record bytes at a time, not the whole answer', async () => {
    const { r, acks } = reader(await batch(0, 10, 100 * KB), [{ first: 0, last: 9, count: 1 }]);
    const sizes: number[][] = [];
    for (let s = await r.next(250 * KB); s; s = await r.next(250 * KB)) sizes.push(s.offsets);
    // a slice stops once its records reach the budget
    assert.deepEqual(sizes, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    assert.equal(r.done, true);
    assert.equal(acks.heldCount, 10);
  });

  it('delivers a record larger than the budget alone', async () => {
    const { r } = reader(await batch(0, 3, 100 * KB), [{ first: 0, last: 2, count: 1 }]);
    const first = await r.next(1);
    assert.deepEqual(first?.offsets, [0]);
    assert.equal(first?.messages[0]?.value?.length, 100 * KB);
  });

  it('keeps only acquired records, with their delivery counts, and acknowledges the rest of a range as gaps', async () => {
    const records = Buffer.concat([await batch(0, 4, 10), await batch(10, 2, 10)]);
    const { r, acks } = reader(records, [
      { first: 1, last: 2, count: 3 },
      { first: 10, last: 12, count: 1 },
    ]);
    const s = await r.next(1_000_000);
    assert.deepEqual(s?.offsets, [1, 2, 10, 11]);
    assert.deepEqual(
      s?.messages.map((m) => m.deliveryCount),
      [3, 3, 1, 1],
    );
    assert.equal(await r.next(1_000_000), undefined);
    // offset 12 was acquired but holds no record: a gap, ready to send
    assert.equal(acks.pendingCount, 1);
    assert.equal(acks.isAcknowledged(12), true);
  });

  it('releases a batch over the decompression limit with a typed error naming the offset, and goes on', async () => {
    const records = Buffer.concat([
      await batch(0, 2, 10),
      await batch(2, 3, 100 * KB),
      await batch(5, 1, 10),
    ]);
    const { r, acks, errors } = reader(records, [{ first: 0, last: 5, count: 1 }], {
      maxDecompressedBatchBytes: 150 * KB,
    });
    const s = await r.next(1_000_000);
    assert.deepEqual(s?.offsets, [0, 1, 5]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.topic, 't');
    assert.equal(errors[0]!.offset, 2);
    assert.equal(errors[0]!.retriable, false);
    // released, so the broker can redeliver (and archive at its delivery-count limit)
    assert.equal(acks.pendingCount, 3);
  });

  it('releaseRest releases what was not decoded yet', async () => {
    const { r, acks } = reader(await batch(0, 5, 100 * KB), [{ first: 0, last: 4, count: 1 }]);
    assert.deepEqual((await r.next(1))?.offsets, [0]);
    r.releaseRest(Date.now());
    assert.equal(r.done, true);
    assert.equal(await r.next(1), undefined);
    assert.equal(acks.pendingCount, 4);
    assert.equal(acks.isHeld(0), true);
  });
});
