import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { KafkaProtocolError } from '../../../src/errors/base.js';
import { Reader } from '../../../src/protocol/codec/reader.js';
import { CompressionTypes } from '../../../src/protocol/compression/index.js';
import {
  ControlRecordTypes,
  crc32,
  decodeRecordBatches,
  decodeRecordSet,
  encodeControlKey,
  encodeEndTxnMarkerValue,
  encodeRecordBatch,
  encodeRecordBatchSync,
  type KafkaRecord,
  LegacyMessageBatch,
  RecordBatchV2,
  type RecordInput,
} from '../../../src/protocol/records/index.js';
import { sizeOfVarint, writeUVarint, writeVarint } from '../../../src/protocol/records/varint.js';

const T0 = 1_700_000_000_000;

function sampleRecords(): RecordInput[] {
  return [
    {
      key: Buffer.from('k0'),
      value: Buffer.from('v0'),
      timestamp: T0,
      headers: [
        { key: 'dup', value: Buffer.from('a') },
        { key: 'dup', value: Buffer.from('b') },
        { key: 'nil', value: null },
        { key: 'dup', value: Buffer.from('c') },
      ],
    },
    { key: null, value: Buffer.from('v1'), timestamp: T0 + 10 },
    { key: Buffer.from('k2'), value: null, timestamp: T0 - 5 },
    { key: null, value: null, timestamp: T0 + 2 ** 33 },
    {
      key: Buffer.alloc(0),
      value: Buffer.alloc(1000, 7),
      timestamp: T0,
      headers: [{ key: 'ключ', value: Buffer.from('é') }],
    },
  ];
}

function plain(r: KafkaRecord) {
  return {
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key?.toString('hex') ?? null,
    value: r.value?.toString('hex') ?? null,
    headers: r.headers.map((h) => [h.key, h.value?.toString('hex') ?? null]),
  };
}

function expected(records: RecordInput[], baseOffset: number) {
  return records.map((r, i) => ({
    offset: baseOffset + i,
    timestamp: r.timestamp,
    key: r.key?.toString('hex') ?? null,
    value: r.value?.toString('hex') ?? null,
    headers: (r.headers ?? []).map((h) => [h.key, h.value?.toString('hex') ?? null]),
  }));
}

describe('record batch v2', () => {
  for (const [name, compression] of Object.entries(CompressionTypes)) {
    it(`round trips with compression ${name}`, async () => {
      const records = sampleRecords();
      const buf = await encodeRecordBatch({
        baseOffset: 1000n,
        partitionLeaderEpoch: 3,
        compression,
        producerId: 123_456_789_012n,
        producerEpoch: 4,
        baseSequence: 77,
        records,
      });
      const [batch, ...rest] = decodeRecordBatches(buf);
      assert.equal(rest.length, 0);
      assert.ok(batch instanceof RecordBatchV2);
      assert.equal(batch.compression, compression);
      assert.equal(batch.baseOffset, 1000n);
      assert.equal(batch.lastOffset(), 1004n);
      assert.equal(batch.recordCount, 5);
      assert.equal(batch.partitionLeaderEpoch, 3);
      assert.equal(batch.producerId, 123_456_789_012n);
      assert.equal(batch.producerEpoch, 4);
      assert.equal(batch.baseSequence, 77);
      assert.equal(batch.baseTimestamp, T0);
      assert.equal(batch.maxTimestamp, T0 + 2 ** 33);
      assert.equal(batch.isTransactional, false);
      assert.equal(batch.isControl, false);
      assert.deepEqual((await batch.records()).map(plain), expected(records, 1000));
    });
  }

  it('hands out keys, values and header values as views of the input (no copies)', () => {
    const buf = encodeRecordBatchSync({ records: sampleRecords() });
    const input = Buffer.concat([Buffer.alloc(3), buf]).subarray(3);
    const records = decodeRecordBatches(input)[0]!.recordsSync();
    assert.equal(records[0]!.key!.buffer, input.buffer);
    assert.equal(records[0]!.value!.buffer, input.buffer);
    assert.equal(records[0]!.headers[0]!.value!.buffer, input.buffer);
    assert.equal(records[4]!.value!.buffer, input.buffer);
    assert.equal(records[4]!.value!.byteOffset > input.byteOffset, true);
  });

  it('writes transactional and idempotent fields and LogAppendTime', () => {
    const buf = encodeRecordBatchSync({
      transactional: true,
      producerId: 99,
      producerEpoch: 3,
      baseSequence: 0,
      timestampType: 'LogAppendTime',
      maxTimestamp: T0 + 5000,
      records: [{ value: Buffer.from('x'), timestamp: T0 }],
    });
    const batch = decodeRecordBatches(buf)[0]!;
    assert.equal(batch.isTransactional, true);
    assert.equal(batch.producerId, 99n);
    assert.equal(batch.timestampType, 'LogAppendTime');
    assert.equal(batch.recordsSync()[0]!.timestamp, T0 + 5000);
  });

  it('keeps explicit offset deltas and uses the largest as lastOffsetDelta', () => {
    const buf = encodeRecordBatchSync({
      baseOffset: 10,
      records: [
        { value: Buffer.from('a'), timestamp: T0, offsetDelta: 0 },
        { value: Buffer.from('b'), timestamp: T0, offsetDelta: 5 },
      ],
    });
    const batch = decodeRecordBatches(buf)[0]!;
    assert.equal(batch.lastOffsetDelta, 5);
    assert.deepEqual(
      batch.recordsSync().map((r) => r.offset),
      [10, 15],
    );
  });

  it('encodes and decodes control batches (commit and abort markers)', () => {
    const set = Buffer.concat(
      [ControlRecordTypes.COMMIT, ControlRecordTypes.ABORT].map((type, i) =>
        encodeRecordBatchSync({
          baseOffset: 100 + i,
          transactional: true,
          control: true,
          producerId: 7,
          producerEpoch: 1,
          records: [{ key: encodeControlKey(type), value: encodeEndTxnMarkerValue(20 + i), timestamp: T0 }],
        }),
      ),
    );
    const batches = decodeRecordBatches(set);
    assert.equal(batches.length, 2);
    assert.equal(batches[0]!.isControl, true);
    assert.deepEqual(batches[0]!.recordsSync()[0]!.control, { version: 0, type: 1, coordinatorEpoch: 20 });
    assert.deepEqual(batches[1]!.recordsSync()[0]!.control, { version: 0, type: 0, coordinatorEpoch: 21 });
  });

  it('ignores a partial trailing batch and reports its size', () => {
    const a = encodeRecordBatchSync({ records: sampleRecords() });
    const b = encodeRecordBatchSync({ baseOffset: 5, records: sampleRecords() });
    for (const cut of [1, 11, 12, 17, 60, 61, b.length - 1]) {
      const { batches, truncatedBytes } = decodeRecordSet(Buffer.concat([a, b.subarray(0, cut)]));
      assert.equal(batches.length, 1, `cut at ${cut}`);
      assert.equal(truncatedBytes, cut);
    }
    assert.equal(decodeRecordSet(Buffer.concat([a, b])).batches.length, 2);
    assert.deepEqual(decodeRecordSet(Buffer.alloc(0)), { batches: [], truncatedBytes: 0 });
  });

  it('rejects a CRC mismatch with KafkaProtocolError, unless asked not to check', () => {
    const buf = Buffer.from(encodeRecordBatchSync({ records: sampleRecords() }));
    buf[buf.length - 1]! ^= 0xff;
    assert.throws(() => decodeRecordBatches(buf), KafkaProtocolError);
    assert.equal(decodeRecordBatches(buf, { verifyCrc: false }).length, 1);
  });

  it('rejects an unknown magic and a batch length shorter than a header', () => {
    const buf = Buffer.from(encodeRecordBatchSync({ records: sampleRecords() }));
    buf[16] = 3;
    assert.throws(() => decodeRecordBatches(buf), KafkaProtocolError);
    const short = Buffer.from(encodeRecordBatchSync({ records: sampleRecords() }));
    short.writeInt32BE(10, 8);
    assert.throws(() => decodeRecordBatches(short), KafkaProtocolError);
  });

  it('rejects a record count that does not match the records', () => {
    const buf = Buffer.from(encodeRecordBatchSync({ records: sampleRecords() }));
    buf.writeInt32BE(6, 57);
    assert.throws(() => decodeRecordBatches(buf, { verifyCrc: false })[0]!.recordsSync(), KafkaProtocolError);
    buf.writeInt32BE(4, 57);
    assert.throws(() => decodeRecordBatches(buf, { verifyCrc: false })[0]!.recordsSync(), KafkaProtocolError);
  });

  it('fails fast on bad input to the encoder', () => {
    assert.throws(() => encodeRecordBatchSync({ records: [] }), /at least one record/);
    assert.throws(() => encodeRecordBatchSync({ records: [{ value: null, timestamp: 1.5 }] }), /timestamp/);
    assert.throws(
      () =>
        encodeRecordBatchSync({
          compression: CompressionTypes.GZIP,
          records: [{ value: null, timestamp: 1 }],
        }),
      /encodeRecordBatch/,
    );
  });
});

/** One legacy entry: offset, size, crc, magic, attributes, [timestamp], key, value. */
function legacyMessage(
  magic: 0 | 1,
  offset: number,
  attributes: number,
  timestamp: number,
  key: Buffer | null,
  value: Buffer | null,
): Buffer {
  const body = Buffer.concat([
    Buffer.from([magic, attributes]),
    magic === 1
      ? (() => {
          const t = Buffer.alloc(8);
          t.writeBigInt64BE(BigInt(timestamp));
          return t;
        })()
      : Buffer.alloc(0),
    lengthPrefixed(key),
    lengthPrefixed(value),
  ]);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(BigInt(offset), 0);
  head.writeInt32BE(body.length + 4, 8);
  head.writeUInt32BE(crc32(body), 12);
  return Buffer.concat([head, body]);
}

function lengthPrefixed(b: Buffer | null): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(b === null ? -1 : b.length);
  return b === null ? len : Buffer.concat([len, b]);
}

describe('record varints', () => {
  it('decodes one-byte and multi-byte varints and varlongs alike (the one-byte fast path)', () => {
    for (const v of [0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 2 ** 31 - 1, -(2 ** 31)]) {
      const buf = Buffer.alloc(10);
      const end = writeVarint(buf, 0, v);
      assert.equal(end, sizeOfVarint(v));
      const r = new Reader(buf, 0, end);
      assert.equal(r.varint(), v);
      assert.equal(r.pos, end);
      const l = new Reader(buf, 0, end);
      assert.equal(l.varlongNumber(), v);
      assert.equal(l.pos, end);
    }
    for (const v of [0, 0x7f, 0x80, 0x3fff, 0x4000, 2 ** 32 - 1]) {
      const buf = Buffer.alloc(5);
      const end = writeUVarint(buf, 0, v);
      const r = new Reader(buf, 0, end);
      assert.equal(r.uvarint(), v);
      assert.equal(r.pos, end);
    }
    assert.throws(() => new Reader(Buffer.from([0x05]), 0, 0).uvarint(), KafkaProtocolError);
    assert.throws(() => new Reader(Buffer.from([0x05]), 0, 0).varlongNumber(), KafkaProtocolError);
    assert.throws(() => new Reader(Buffer.from([0x80]), 0, 1).uvarint(), KafkaProtocolError);
  });
});

describe('legacy message sets (magic 0 and 1)', () => {
  it('decodes v0 messages (no timestamp) and v1 messages (with timestamp)', () => {
    const set = Buffer.concat([
      legacyMessage(0, 3, 0, 0, Buffer.from('k'), Buffer.from('v0')),
      legacyMessage(1, 4, 0, T0, null, Buffer.from('v1')),
      legacyMessage(1, 5, 0, T0 + 1, Buffer.from('k'), null),
    ]);
    const batches = decodeRecordBatches(set);
    assert.equal(batches.length, 3);
    assert.ok(batches[0] instanceof LegacyMessageBatch);
    assert.deepEqual(
      batches.flatMap((b) => b.recordsSync().map(plain)),
      [
        { offset: 3, timestamp: -1, key: '6b', value: '7630', headers: [] },
        { offset: 4, timestamp: T0, key: null, value: '7631', headers: [] },
        { offset: 5, timestamp: T0 + 1, key: '6b', value: null, headers: [] },
      ],
    );
    assert.equal(batches[1]!.magic, 1);
    assert.equal(batches[1]!.recordsSync()[0]!.value!.buffer, set.buffer);
  });

  it('decodes a gzip-compressed v1 wrapper with relative inner offsets', async () => {
    const inner = Buffer.concat(
      [0, 1, 2].map((i) => legacyMessage(1, i, 0, T0 + i, null, Buffer.from(`m${i}`))),
    );
    const wrapper = legacyMessage(1, 12, CompressionTypes.GZIP, T0 + 2, null, gzipSync(inner));
    const [batch] = decodeRecordBatches(wrapper);
    assert.equal(batch!.compression, CompressionTypes.GZIP);
    assert.equal(batch!.lastOffset(), 12n);
    const records = await batch!.records();
    assert.deepEqual(
      records.map((r) => [r.offset, r.timestamp, r.value!.toString()]),
      [
        [10, T0, 'm0'],
        [11, T0 + 1, 'm1'],
        [12, T0 + 2, 'm2'],
      ],
    );
  });

  it('decodes a gzip-compressed v0 wrapper with absolute inner offsets', async () => {
    const inner = Buffer.concat([20, 21].map((o) => legacyMessage(0, o, 0, 0, null, Buffer.from(`m${o}`))));
    const wrapper = legacyMessage(0, 21, CompressionTypes.GZIP, 0, null, gzipSync(inner));
    const records = await decodeRecordBatches(wrapper)[0]!.records();
    assert.deepEqual(
      records.map((r) => r.offset),
      [20, 21],
    );
  });

  it('rejects a legacy CRC mismatch and a corrupt compressed wrapper', async () => {
    const msg = legacyMessage(1, 0, 0, T0, null, Buffer.from('x'));
    msg[msg.length - 1] = 0x79;
    assert.throws(() => decodeRecordBatches(msg), KafkaProtocolError);
    const bad = legacyMessage(1, 0, CompressionTypes.GZIP, T0, null, Buffer.from('not gzip'));
    await assert.rejects(decodeRecordBatches(bad)[0]!.records(), KafkaProtocolError);
  });

  it('mixes legacy messages and v2 batches and ignores a partial legacy tail', () => {
    const v2 = encodeRecordBatchSync({
      baseOffset: 1,
      records: [{ value: Buffer.from('b'), timestamp: T0 }],
    });
    const legacy = legacyMessage(1, 0, 0, T0, null, Buffer.from('a'));
    const { batches, truncatedBytes } = decodeRecordSet(Buffer.concat([legacy, v2, legacy.subarray(0, 20)]));
    assert.deepEqual(
      batches.map((b) => b.magic),
      [1, 2],
    );
    assert.equal(truncatedBytes, 20);
  });
});
