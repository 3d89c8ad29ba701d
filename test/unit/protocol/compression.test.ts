import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { KafkaProtocolError } from '../../../src/errors/base.js';
import {
  CompressionTypes,
  compress,
  decompress,
  decompressSync,
  isXerialFramed,
  loadCompressionCodec,
  XERIAL_MAGIC,
} from '../../../src/protocol/compression/index.js';

const text = Buffer.from('kafkats compresses record batches. '.repeat(4000));
const noise = randomBytes(70_000);

describe('compression codecs', () => {
  for (const [name, type] of Object.entries(CompressionTypes)) {
    it(`${name} round trips text, random bytes and empty input`, async () => {
      for (const data of [text, noise, Buffer.alloc(0)]) {
        const packed = await compress(type, data);
        assert.deepEqual(await decompress(type, packed), data);
      }
      if (type !== CompressionTypes.None) assert.ok((await compress(type, text)).length < text.length / 10);
    });
  }

  for (const [name, type] of Object.entries(CompressionTypes)) {
    if (type === CompressionTypes.None) continue;
    it(`${name} rejects garbage with KafkaProtocolError`, async () => {
      const garbage = Buffer.from('this is definitely not compressed data, not in any codec at all');
      await assert.rejects(decompress(type, garbage), KafkaProtocolError);
      const packed = await compress(type, text);
      await assert.rejects(decompress(type, packed.subarray(0, packed.length >> 1)), KafkaProtocolError);
    });
  }

  it('rejects an unknown codec id', async () => {
    await assert.rejects(compress(5, text), KafkaProtocolError);
    await assert.rejects(decompress(7, text), KafkaProtocolError);
  });

  it('snappy writes xerial framing in 32 KiB blocks, as the Java client does', async () => {
    const packed = await compress(CompressionTypes.Snappy, text);
    assert.ok(isXerialFramed(packed));
    assert.deepEqual(packed.subarray(0, 8), XERIAL_MAGIC);
    assert.equal(packed.readInt32BE(8), 1);
    assert.equal(packed.readInt32BE(12), 1);
    let blocks = 0;
    for (let pos = 16; pos < packed.length; pos += 4 + packed.readInt32BE(pos)) blocks++;
    assert.equal(blocks, Math.ceil(text.length / 32768));
  });

  it('snappy decodes raw (unframed) snappy too', async () => {
    const snappy = await import('@napi-rs/snappy');
    const raw = snappy.compressSync(text);
    assert.ok(!isXerialFramed(raw));
    assert.deepEqual(await decompress(CompressionTypes.Snappy, raw), text);
  });

  it('snappy rejects a xerial block length that overruns the input', async () => {
    const packed = Buffer.from(await compress(CompressionTypes.Snappy, text));
    packed.writeInt32BE(0x7fffffff, 16);
    await assert.rejects(decompress(CompressionTypes.Snappy, packed), KafkaProtocolError);
  });

  it('lz4 writes an LZ4 frame with independent blocks and no checksums (as Kafka does)', async () => {
    const packed = await compress(CompressionTypes.LZ4, text);
    assert.equal(packed.readUInt32LE(0), 0x184d2204);
    const flg = packed[4]!;
    assert.equal(flg >> 6, 1, 'frame version 01');
    assert.equal(flg & 0x20, 0x20, 'block independence');
    assert.equal(flg & 0x1c, 0, 'no block checksum, content size or content checksum');
  });

  it('lz4 decodes frames with a content checksum and block checksums', async () => {
    const lz4 = await import('lz4-napi');
    const framed = lz4.compressFrameSync(text, { contentChecksum: true, blockChecksums: true });
    assert.equal(framed[4]! & 0x14, 0x14);
    assert.deepEqual(await decompress(CompressionTypes.LZ4, framed), text);
  });

  it('decompressSync works for gzip at once and for native codecs once loaded', async () => {
    const gz = await compress(CompressionTypes.GZIP, text);
    assert.deepEqual(decompressSync(CompressionTypes.GZIP, gz), text);
    await loadCompressionCodec(CompressionTypes.ZSTD);
    const zs = await compress(CompressionTypes.ZSTD, text);
    assert.deepEqual(decompressSync(CompressionTypes.ZSTD, zs), text);
  });
});
