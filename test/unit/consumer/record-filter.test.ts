import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterRecords, recordsOf } from '../../../src/consumer/record-filter.js';
import {
  ControlRecordTypes,
  decodeRecordBatches,
  encodeControlKey,
  encodeEndTxnMarkerValue,
  encodeRecordBatchSync,
} from '../../../src/protocol/records/index.js';

const data = (baseOffset: number, values: string[], producerId = -1, transactional = false) =>
  encodeRecordBatchSync({
    baseOffset,
    producerId,
    producerEpoch: 0,
    baseSequence: 0,
    transactional,
    records: values.map((v) => ({ value: Buffer.from(v), timestamp: 1000 })),
  });

const marker = (baseOffset: number, producerId: number, type: number) =>
  encodeRecordBatchSync({
    baseOffset,
    producerId,
    producerEpoch: 0,
    transactional: true,
    control: true,
    records: [{ key: encodeControlKey(type), value: encodeEndTxnMarkerValue(0), timestamp: 1000 }],
  });

const values = (rs: { value: Buffer | null }[]) => rs.map((r) => r.value?.toString());

describe('filterRecords', () => {
  it('delivers plain records from the fetch offset on, and advances past the last batch', async () => {
    const batches = decodeRecordBatches(Buffer.concat([data(0, ['a', 'b', 'c']), data(3, ['d'])]));
    const out = await filterRecords(batches, 1, 'read_committed', null);
    assert.deepEqual(values(out.records), ['b', 'c', 'd']);
    assert.equal(out.nextOffset, 4);
  });

  it('drops aborted transactions and control records under read_committed', async () => {
    const buf = Buffer.concat([
      data(0, ['t1a', 't1b'], 5, true), // 0-1 aborted
      data(2, ['t2a'], 6, true), // 2 committed
      marker(3, 5, ControlRecordTypes.ABORT), // 3
      marker(4, 6, ControlRecordTypes.COMMIT), // 4
      data(5, ['t3a'], 5, true), // 5 committed later
      marker(6, 5, ControlRecordTypes.COMMIT), // 6
      data(7, ['plain']),
    ]);
    const batches = decodeRecordBatches(buf);
    const committed = await filterRecords(batches, 0, 'read_committed', [
      { producerId: 5n, firstOffset: 0n },
    ]);
    assert.deepEqual(values(committed.records), ['t2a', 't3a', 'plain']);
    assert.equal(committed.nextOffset, 8);

    const all = await filterRecords(batches, 0, 'read_uncommitted', [{ producerId: 5n, firstOffset: 0n }]);
    assert.deepEqual(values(all.records), ['t1a', 't1b', 't2a', 't3a', 'plain']);
  });

  it('moves past a response made only of control records', async () => {
    const out = await filterRecords(
      decodeRecordBatches(marker(10, 1, ControlRecordTypes.COMMIT)),
      10,
      'read_committed',
      [],
    );
    assert.deepEqual(out.records, []);
    assert.equal(out.nextOffset, 11);
  });

  it('undecoded (decode: false): the same records, decoded later by recordsOf', async () => {
    const buf = Buffer.concat([
      data(0, ['t1a', 't1b'], 5, true), // aborted
      data(2, ['t2a', 't2b'], 6, true),
      marker(4, 5, ControlRecordTypes.ABORT),
      marker(5, 6, ControlRecordTypes.COMMIT),
      data(6, ['plain', 'p2']),
    ]);
    const aborted = [{ producerId: 5n, firstOffset: 0n }];
    for (const fetchOffset of [0, 3, 7]) {
      const eager = await filterRecords(decodeRecordBatches(buf), fetchOffset, 'read_committed', aborted);
      const lazy = await filterRecords(
        decodeRecordBatches(buf),
        fetchOffset,
        'read_committed',
        aborted,
        false,
      );
      assert.deepEqual(lazy.records, [], 'nothing decoded up front');
      assert.equal(lazy.nextOffset, eager.nextOffset);
      const later = await recordsOf(lazy.deliverable!, fetchOffset);
      assert.deepEqual(values(later), values(eager.records), `fetch offset ${fetchOffset}`);
    }
  });
});
