/**
 * The share consumer and batches beyond its maxDecompressedBatchBytes (1 MB records of one
 * character, a few KB compressed): the records around them are delivered, the oversized batch's
 * records are released (the broker archives them after its delivery-count limit), and the
 * consumer keeps consuming.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionTypes } from '../../../src/index.js';
import { offsetsAroundBatch } from './around-batch.js';
import { adminCluster, kafka, newShareConsumer } from './helpers.js';

describe('share consumer: a batch beyond maxDecompressedBatchBytes', () => {
  for (const [name, codec] of [
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['zstd', CompressionTypes.ZSTD],
  ] as const) {
    it(`${name}: delivers the records around it and keeps consuming`, async () => {
      const k = kafka();
      const admin = await adminCluster(k);
      try {
        const offsets = await offsetsAroundBatch(k, admin, {
          prefix: `share-limit-${name}`,
          firstCodec: codec,
          batch: { values: Array.from({ length: 3 }, () => Buffer.alloc(1_000_000, 'b')), codec },
          consumer: { maxDecompressedBatchBytes: 512 * 1024 },
        });
        assert.deepEqual(offsets, [0, 1, 5, 6, 7]);
      } finally {
        await admin.disconnect();
      }
    });
  }

  it('rejects a maxDecompressedBatchBytes that is not a positive integer', () => {
    assert.throws(
      () => newShareConsumer(kafka(), { groupId: 'g', maxDecompressedBatchBytes: -1 }),
      /maxDecompressedBatchBytes/,
    );
  });
});
