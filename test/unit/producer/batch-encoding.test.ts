import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProducerBatch } from '../../../src/producer/batch.js';
import { DeliveryReport } from '../../../src/producer/delivery.js';
import { CompressionTypes } from '../../../src/protocol/compression/types.js';
import { decodeRecordSet } from '../../../src/protocol/records/decode.js';
import { sealRecordBatch } from '../../../src/protocol/records/encode.js';
import type { RecordInput } from '../../../src/protocol/records/types.js';

const records: RecordInput[] = [
  { key: null, value: Buffer.from('plain'), headers: undefined, timestamp: 1_700_000_000_000 },
  {
    key: Buffer.from('k1'),
    value: null,
    headers: [
      { key: 'trace-id', value: Buffer.from('abc') },
      { key: 'empty', value: null },
    ],
    timestamp: 1_700_000_000_500,
  },
  { key: Buffer.from('k2'), value: Buffer.alloc(300, 7), headers: [], timestamp: 1_699_999_999_000 },
];

function batchOf(compression: number): ProducerBatch {
  const settings = { compression, acks: -1 as const, timeout: 30000 };
  const batch = new ProducerBatch('t', 0, settings, 0);
  const report = new DeliveryReport();
  for (const r of records) assert.ok(batch.tryAppend(r, report, settings, 1 << 16, 0));
  return batch;
}

describe('ProducerBatch encodes records as they are appended', () => {
  for (const [name, codec] of [
    ['uncompressed', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
  ] as const) {
    it(`a sealed ${name} batch decodes to the appended records, header fields included`, async () => {
      const batch = batchOf(codec);
      const sealed = await sealRecordBatch(batch.recordBytes, {
        compression: codec,
        producerId: 42n,
        producerEpoch: 3,
        baseSequence: 17,
        transactional: true,
        count: batch.recordCount,
        baseTimestamp: batch.baseTimestamp,
        maxTimestamp: batch.maxTimestamp,
      });
      const [decoded] = decodeRecordSet(sealed).batches;
      assert.ok(decoded);
      assert.equal(decoded.producerId, 42n);
      assert.equal(decoded.producerEpoch, 3);
      assert.equal(decoded.baseSequence, 17);
      assert.equal(decoded.isTransactional, true);
      assert.equal(Number(decoded.maxTimestamp), 1_700_000_000_500);
      const got = await decoded.records();
      assert.deepEqual(
        got.map((r) => [r.key, r.value, r.headers, r.timestamp, r.offsetDelta]),
        records.map((r, i) => [r.key, r.value, r.headers ?? [], r.timestamp, i]),
      );
    });
  }

  it('split() gives the same records back, in order, in smaller batches', () => {
    const children = batchOf(CompressionTypes.None).split(200);
    assert.ok(children.length >= 2);
    assert.equal(
      children.reduce((n, c) => n + c.recordCount, 0),
      records.length,
    );
  });
});
