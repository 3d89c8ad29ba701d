/**
 * The share consumer and a compressed batch it cannot read (a corrupt zstd stream edited into the
 * broker's log): the records around it are delivered, the batch's records are released (the
 * broker archives them after its delivery-count limit), and the consumer keeps consuming.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionTypes } from '../../../src/index.js';
import { offsetsAroundBatch } from '../share/around-batch.js';
import { adminCluster, kafka } from '../share/helpers.js';
import { corruptBatch, segmentsUnavailable } from './compression-segments.js';

describe('share consumer: an unreadable compressed batch', () => {
  it(
    'delivers the records around it and keeps consuming',
    segmentsUnavailable === undefined ? {} : { skip: segmentsUnavailable },
    async () => {
      const k = kafka();
      const admin = await adminCluster(k);
      try {
        const offsets = await offsetsAroundBatch(k, admin, {
          prefix: 'compression-share',
          firstCodec: CompressionTypes.None,
          batch: {
            values: Array.from({ length: 3 }, (_, i) => `bad${i}`.padEnd(4000, 'z')),
            codec: CompressionTypes.ZSTD,
          },
          written: (topic) =>
            corruptBatch(topic, 2, (batch) => {
              const section = batch.subarray(61);
              section.fill(0xa5, Math.floor(section.length / 3));
            }),
        });
        assert.deepEqual(offsets, [0, 1, 5, 6, 7]);
      } finally {
        await admin.disconnect();
      }
    },
  );
});
