import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { KafkaProtocolError } from '../../../src/errors/base.js';
import { GZIP_INPUT_STEP } from '../../../src/protocol/compression/gzip.js';
import {
  CompressionTypes,
  compress,
  type DecompressionReader,
  KafkaJSDecompressionLimitError,
  loadCompressionCodec,
  openDecompression,
} from '../../../src/protocol/compression/index.js';
import { crc32c } from '../../../src/protocol/records/crc.js';
import { decodeRecordSet } from '../../../src/protocol/records/decode.js';
import { encodeRecordBatch } from '../../../src/protocol/records/encode.js';
import { BATCH_OFFSETS } from '../../../src/protocol/records/types.js';

const MiB = 1024 * 1024;
const codecs = Object.entries(CompressionTypes).filter(([, t]) => t !== CompressionTypes.None);

async function loadAll(): Promise<void> {
  for (const [, t] of codecs) await loadCompressionCodec(t);
}

function drain(reader: DecompressionReader): { out: Buffer; largestPiece: number } {
  const pieces: Buffer[] = [];
  let largestPiece = 0;
  for (let p = reader.read(); p !== null; p = reader.read()) {
    pieces.push(p);
    largestPiece = Math.max(largestPiece, p.length);
  }
  return { out: Buffer.concat(pieces), largestPiece };
}

describe('bounded decompression (openDecompression)', () => {
  const text = Buffer.from('kafkats reads compressed batches in pieces. '.repeat(3000));
  const noise = randomBytes(200_000);

  for (const [name, type] of codecs) {
    it(`${name}: gives back exactly what was compressed`, async () => {
      await loadAll();
      for (const data of [text, noise, Buffer.alloc(0)]) {
        const { out } = drain(openDecompression(type, await compress(type, data), 10 * MiB));
        assert.ok(out.equals(data), `${name} round trip of ${data.length} bytes`);
      }
    });

    it(`${name}: stops at the limit with a non-retriable KafkaJSDecompressionLimitError`, async () => {
      await loadAll();
      const bomb = await compress(type, Buffer.alloc(24 * MiB, 'a'));
      let seen = 0;
      assert.throws(
        () => {
          const reader = openDecompression(type, bomb, 2 * MiB);
          for (let p = reader.read(); p !== null; p = reader.read()) seen += p.length;
        },
        (err: unknown) => {
          assert.ok(err instanceof KafkaJSDecompressionLimitError, String(err));
          assert.equal(err.retriable, false);
          assert.equal(err.limit, 2 * MiB);
          assert.match(err.message, /maxDecompressedBatchBytes/);
          return true;
        },
      );
      // What was handed out before the failure stays within the limit.
      assert.ok(seen <= 2 * MiB, `${seen} bytes handed out`);
    });

    it(`${name}: a truncated stream is a non-retriable KafkaProtocolError`, async () => {
      await loadAll();
      const packed = await compress(type, Buffer.concat([noise, text]));
      const cut = packed.subarray(0, Math.floor(packed.length * 0.6));
      assert.throws(
        () => drain(openDecompression(type, cut, 10 * MiB)),
        (err: unknown) => err instanceof KafkaProtocolError && err.retriable === false,
      );
    });
  }

  for (const [name, type, largest] of [
    ['zstd', CompressionTypes.ZSTD, MiB],
    ['lz4', CompressionTypes.LZ4, 4 * MiB],
    ['snappy', CompressionTypes.Snappy, MiB + 32 * 1024],
    ['gzip', CompressionTypes.GZIP, MiB],
  ] as const) {
    it(`${name}: 48 MiB of one character come out in pieces of at most ${largest / 1024} KiB`, async () => {
      await loadAll();
      const data = Buffer.alloc(48 * MiB, 'z');
      const { out, largestPiece } = drain(openDecompression(type, await compress(type, data), 64 * MiB));
      assert.equal(out.length, data.length);
      assert.ok(out.equals(data));
      assert.ok(largestPiece <= largest, `largest piece ${largestPiece}`);
    });
  }

  it('gzip: several members, a member boundary on an input step, come out whole and in order', async () => {
    const text = Buffer.from('first member, '.repeat(200_000));
    const noise = randomBytes(3 * GZIP_INPUT_STEP);
    for (const parts of [
      [text, noise],
      [noise, text],
      [noise, noise, text],
    ]) {
      const members = parts.map((p) => gzipSync(p));
      const { out, largestPiece } = drain(
        openDecompression(CompressionTypes.GZIP, Buffer.concat(members), 64 * MiB),
      );
      assert.ok(out.equals(Buffer.concat(parts)));
      assert.ok(largestPiece <= MiB, `largest piece ${largestPiece}`);
    }
  });

  it('gzip: a 1 GB bomb stops at the limit having held one piece at a time', async () => {
    // ~1 MB of gzip that inflates to 1 GB: held whole, it would need a GB-sized buffer
    const bomb = gzipSync(Buffer.alloc(1000 * 1000 * 1000, 0), { level: 9 });
    let largestPiece = 0;
    assert.throws(
      () => {
        const reader = openDecompression(CompressionTypes.GZIP, bomb, 8 * MiB);
        for (let p = reader.read(); p !== null; p = reader.read())
          largestPiece = Math.max(largestPiece, p.length);
      },
      (err: unknown) => err instanceof KafkaJSDecompressionLimitError && err.limit === 8 * MiB,
    );
    assert.ok(largestPiece > 0 && largestPiece <= MiB, `largest piece ${largestPiece}`);
  });

  for (const id of [5, 6, 7]) {
    it(`codec id ${id} is unknown: a non-retriable KafkaProtocolError that names it`, () => {
      assert.throws(
        () => openDecompression(id, Buffer.from('abc'), MiB),
        (err: unknown) =>
          err instanceof KafkaProtocolError && err.retriable === false && err.message.includes(`codec ${id}`),
      );
    });
  }
});

/** A batch with its bytes edited and its CRC recomputed, as a broker would serve a corrupt log. */
function reCrc(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch, BATCH_OFFSETS.attributes), BATCH_OFFSETS.crc);
  return batch;
}

describe('record batches: bounded decompression', () => {
  const bigValue = Buffer.alloc(MiB, 'a');

  it('openRecords() reads 64 one-MiB records of a zstd batch one at a time', async () => {
    const bytes = await encodeRecordBatch({
      compression: CompressionTypes.ZSTD,
      records: Array.from({ length: 64 }, (_, i) => ({
        value: bigValue,
        key: Buffer.from(String(i)),
        timestamp: 1,
      })),
    });
    assert.ok(bytes.length < 64 * 1024, `the batch is ${bytes.length} bytes on the wire`);
    const [batch] = decodeRecordSet(bytes).batches;
    const cursor = await batch!.openRecords();
    let n = 0;
    let previous = 0;
    for (let r = cursor.next(); r !== undefined; r = cursor.next()) {
      assert.equal(r.key!.toString(), String(n));
      assert.ok(r.value!.equals(bigValue));
      // Each record costs its own bytes: the cursor counts decompressed bytes as it goes.
      assert.ok(cursor.bytesRead - previous >= MiB);
      previous = cursor.bytesRead;
      n++;
    }
    assert.equal(n, 64);
  });

  for (const [name, type] of codecs) {
    it(`${name}: a batch beyond maxDecompressedBatchBytes fails records() with KafkaJSDecompressionLimitError`, async () => {
      const bytes = await encodeRecordBatch({
        compression: type,
        records: Array.from({ length: 8 }, () => ({ value: bigValue, timestamp: 1 })),
      });
      const limited = decodeRecordSet(bytes, { maxDecompressedBatchBytes: 3 * MiB }).batches[0]!;
      await assert.rejects(limited.records(), KafkaJSDecompressionLimitError);
      // The default (256 MiB) lets the same batch through.
      assert.equal((await decodeRecordSet(bytes).batches[0]!.records()).length, 8);
    });

    it(`${name}: a batch whose compressed records are cut short (CRC valid) fails with a typed error`, async () => {
      const bytes = await encodeRecordBatch({
        compression: type,
        records: Array.from({ length: 50 }, (_, i) => ({
          value: randomBytes(2000),
          key: Buffer.from(String(i)),
          timestamp: 1,
        })),
      });
      // Keep the header, drop the last third of the compressed section, fix the length and CRC.
      const keep = bytes.length - Math.floor((bytes.length - 61) / 3);
      const cut = Buffer.from(bytes.subarray(0, keep));
      cut.writeInt32BE(keep - 12, BATCH_OFFSETS.batchLength);
      const [batch] = decodeRecordSet(reCrc(cut)).batches;
      await assert.rejects(
        batch!.records(),
        (err: unknown) => err instanceof KafkaProtocolError && err.retriable === false,
      );
    });
  }

  it('a batch with an unknown codec id (attributes 5) fails records() with a typed error', async () => {
    const bytes = await encodeRecordBatch({ records: [{ value: Buffer.from('x'), timestamp: 1 }] });
    const bad = Buffer.from(bytes);
    bad.writeInt16BE(5, BATCH_OFFSETS.attributes);
    const [batch] = decodeRecordSet(reCrc(bad)).batches;
    assert.equal(batch!.compression, 5);
    await assert.rejects(batch!.records(), /unknown compression codec 5/);
  });

  it('rejects a negative maxDecompressedBatchBytes', () => {
    assert.throws(
      () => decodeRecordSet(Buffer.alloc(0), { maxDecompressedBatchBytes: -1 }),
      /maxDecompressedBatchBytes/,
    );
  });
});
