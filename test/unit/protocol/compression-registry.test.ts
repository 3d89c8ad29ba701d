import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSError, KafkaProtocolError } from '../../../src/errors/base.js';
import { CompressionTypes, compress, decompress } from '../../../src/protocol/compression/index.js';
import {
  type CompressionCodecFactory,
  CompressionCodecs,
  hasRegisteredCodec,
} from '../../../src/protocol/compression/registry.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../../src/protocol/records/index.js';

const registry = CompressionCodecs as unknown as Record<number, CompressionCodecFactory | undefined>;

/** A KafkaJS-style codec that XORs every byte (so that a built-in codec cannot read its output). */
function xorCodec(log: string[], sync = false): CompressionCodecFactory {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return () => {
    log.push('factory');
    return {
      compress(encoder: { buffer: Buffer }) {
        log.push('compress');
        return sync ? flip(encoder.buffer) : Promise.resolve(flip(encoder.buffer));
      },
      decompress(buffer: Buffer) {
        log.push('decompress');
        return sync ? flip(buffer) : Promise.resolve(flip(buffer));
      },
    };
  };
}

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: 1_700_000_000_000 + i,
    key: i % 2 ? Buffer.from(`k${i}`) : null,
    value: Buffer.from(`value number ${i} `.repeat(3)),
    headers: [{ key: 'h', value: Buffer.from(String(i)) }],
  }));
}

async function withRegistered<T>(type: number, factory: CompressionCodecFactory, fn: () => Promise<T>) {
  const builtin = registry[type];
  registry[type] = factory;
  try {
    return await fn();
  } finally {
    registry[type] = builtin;
  }
}

describe('compression codec registry', () => {
  it('uses the built-in codecs while nothing is registered', async () => {
    for (const type of [CompressionTypes.GZIP, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
      assert.equal(hasRegisteredCodec(type), false);
      const batch = await encodeRecordBatch({ compression: type, records: records(5) });
      const [decoded] = decodeRecordBatches(batch);
      // The records section is what the built-in codec writes: the built-in decoder reads it.
      const section = await decompress(type, batch.subarray(61));
      assert.ok(section.length > 0);
      assert.deepEqual(
        (await decoded!.records()).map((r) => r.value?.toString()),
        records(5).map((r) => r.value.toString()),
      );
    }
  });

  it('a registered codec replaces the built-in one for encoding and decoding batches', async () => {
    const log: string[] = [];
    await withRegistered(CompressionTypes.LZ4, xorCodec(log), async () => {
      assert.equal(hasRegisteredCodec(CompressionTypes.LZ4), true);
      const input = records(7);
      const batch = await encodeRecordBatch({ compression: CompressionTypes.LZ4, records: input });
      assert.deepEqual(log, ['factory', 'compress']);
      // The section is the XORed records, not an LZ4 frame.
      await assert.rejects(decompress(CompressionTypes.LZ4, batch.subarray(61)), KafkaProtocolError);
      const [decoded] = decodeRecordBatches(batch);
      const out = await decoded!.records();
      assert.deepEqual(log, ['factory', 'compress', 'factory', 'decompress']);
      assert.deepEqual(
        out.map((r) => [
          r.offset,
          r.key?.toString() ?? null,
          r.value?.toString(),
          r.headers[0]?.value?.toString(),
        ]),
        input.map((r, i) => [i, r.key?.toString() ?? null, r.value.toString(), String(i)]),
      );
      // Other codecs keep their built-in implementation.
      const gz = await encodeRecordBatch({ compression: CompressionTypes.GZIP, records: input });
      assert.equal((await decodeRecordBatches(gz)[0]!.records()).length, 7);
      assert.equal(log.length, 4);
    });
    assert.equal(hasRegisteredCodec(CompressionTypes.LZ4), false);
  });

  it('recordsSync() works with a synchronous codec and refuses an asynchronous one', async () => {
    const input = records(3);
    const syncLog: string[] = [];
    await withRegistered(CompressionTypes.ZSTD, xorCodec(syncLog, true), async () => {
      const batch = await encodeRecordBatch({ compression: CompressionTypes.ZSTD, records: input });
      assert.equal(decodeRecordBatches(batch)[0]!.recordsSync().length, 3);
    });
    await withRegistered(CompressionTypes.ZSTD, xorCodec([]), async () => {
      const batch = await encodeRecordBatch({ compression: CompressionTypes.ZSTD, records: input });
      assert.throws(() => decodeRecordBatches(batch)[0]!.recordsSync(), /use batch\.records\(\)/);
      assert.equal((await decodeRecordBatches(batch)[0]!.records()).length, 3);
    });
  });

  it('wraps a failing codec: KafkaJSError when compressing, KafkaProtocolError when decompressing', async () => {
    const broken: CompressionCodecFactory = () => ({
      compress: async () => {
        throw new Error('boom');
      },
      decompress: async () => {
        throw new Error('bang');
      },
    });
    const good = await compress(CompressionTypes.Snappy, Buffer.from('x'));
    await withRegistered(CompressionTypes.Snappy, broken, async () => {
      await assert.rejects(
        encodeRecordBatch({ compression: CompressionTypes.Snappy, records: records(1) }),
        (err: unknown) => err instanceof KafkaJSError && /boom/.test(err.message),
      );
      assert.ok(good.length > 0);
    });
    const batch = await encodeRecordBatch({ compression: CompressionTypes.Snappy, records: records(1) });
    await withRegistered(CompressionTypes.Snappy, broken, async () => {
      await assert.rejects(decodeRecordBatches(batch)[0]!.records(), (err: unknown) => {
        return err instanceof KafkaProtocolError && /bang/.test(err.message);
      });
    });
  });

  it('accepts Uint8Array results, and restores the built-in codec on delete, undefined or a built-in factory', async () => {
    const builtin = registry[CompressionTypes.GZIP]!;
    const u8: CompressionCodecFactory = () => ({
      compress: (e) => new Uint8Array(e.buffer) as Buffer,
      decompress: (b) => new Uint8Array(b) as Buffer,
    });
    await withRegistered(CompressionTypes.GZIP, u8, async () => {
      const batch = await encodeRecordBatch({ compression: CompressionTypes.GZIP, records: records(2) });
      assert.equal((await decodeRecordBatches(batch)[0]!.records()).length, 2);
    });
    for (const restore of [
      () => delete registry[CompressionTypes.GZIP],
      () => {
        registry[CompressionTypes.GZIP] = undefined;
      },
      () => {
        registry[CompressionTypes.GZIP] = builtin;
      },
    ]) {
      registry[CompressionTypes.GZIP] = u8;
      assert.equal(hasRegisteredCodec(CompressionTypes.GZIP), true);
      restore();
      assert.equal(hasRegisteredCodec(CompressionTypes.GZIP), false);
      assert.equal(registry[CompressionTypes.GZIP], builtin);
    }
    assert.deepEqual(Object.keys(CompressionCodecs).map(Number), [1, 2, 3, 4]);
  });

  it('a built-in factory registered under another codec id is that other codec', async () => {
    const lz4 = registry[CompressionTypes.LZ4]!;
    await withRegistered(CompressionTypes.ZSTD, lz4, async () => {
      assert.equal(hasRegisteredCodec(CompressionTypes.ZSTD), true);
      const batch = await encodeRecordBatch({ compression: CompressionTypes.ZSTD, records: records(2) });
      // Written with LZ4 under the ZSTD id: LZ4 reads the section back.
      assert.ok((await decompress(CompressionTypes.LZ4, batch.subarray(61))).length > 0);
    });
  });
});
