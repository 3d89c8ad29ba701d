import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { KafkaProtocolError } from '../../../src/errors/base.js';
import { CompressionTypes, loadCompressionCodec } from '../../../src/protocol/compression/index.js';
import { crc32, decodeRecordSet, encodeRecordBatch } from '../../../src/protocol/records/index.js';

/** mulberry32: a small seeded generator, so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function legacyWrapper(): Buffer {
  const msg = (offset: number, attributes: number, value: Buffer) => {
    const body = Buffer.alloc(2 + 8 + 4 + 4 + value.length);
    body[0] = 1;
    body[1] = attributes;
    body.writeBigInt64BE(1_700_000_000_000n, 2);
    body.writeInt32BE(-1, 10);
    body.writeInt32BE(value.length, 14);
    value.copy(body, 18);
    const head = Buffer.alloc(16);
    head.writeBigInt64BE(BigInt(offset));
    head.writeInt32BE(body.length + 4, 8);
    head.writeUInt32BE(crc32(body), 12);
    return Buffer.concat([head, body]);
  };
  const inner = Buffer.concat([msg(0, 0, Buffer.from('a')), msg(1, 0, Buffer.from('bb'))]);
  return msg(1, CompressionTypes.GZIP, gzipSync(inner));
}

/** Decodes everything; returns normally or throws KafkaProtocolError, nothing else. */
function decodeAll(buf: Buffer, verifyCrc: boolean): void {
  try {
    for (const batch of decodeRecordSet(buf, { verifyCrc }).batches) batch.recordsSync();
  } catch (err) {
    if (!(err instanceof KafkaProtocolError)) {
      assert.fail(
        `expected KafkaProtocolError, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`,
      );
    }
  }
}

describe('record decoding under corruption (seeded fuzz)', () => {
  it('truncations and bit flips give records or KafkaProtocolError, never another exception', async () => {
    for (const t of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD])
      await loadCompressionCodec(t);
    const valid: Buffer[] = [legacyWrapper()];
    for (const compression of Object.values(CompressionTypes)) {
      valid.push(
        await encodeRecordBatch({
          compression,
          records: Array.from({ length: 5 }, (_, i) => ({
            key: i % 2 ? null : Buffer.from(`key-${i}`),
            value: Buffer.from(`value-${i}-`.repeat(i + 1)),
            headers: [{ key: `h${i}`, value: i % 3 ? Buffer.from('x') : null }],
            timestamp: 1_700_000_000_000 + i,
          })),
        }),
      );
    }
    const random = rng(0x5eed);
    const deadline = Date.now() + 6000;
    let cases = 0;
    for (let round = 0; round < 3000 && Date.now() < deadline; round++) {
      const base = valid[round % valid.length]!;
      // Every prefix of a valid set decodes (a partial tail is not an error).
      const cut = Math.floor(random() * base.length);
      assert.doesNotThrow(() => decodeRecordSet(base.subarray(0, cut)));
      const mutated = Buffer.from(base);
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(random() * mutated.length);
        mutated[at]! ^= 1 << Math.floor(random() * 8);
      }
      // Without the CRC check the corrupt bytes reach the record and codec parsers.
      decodeAll(mutated, false);
      decodeAll(mutated, true);
      decodeAll(mutated.subarray(0, cut), false);
      cases += 4;
    }
    assert.ok(cases > 1000);
  });
});
