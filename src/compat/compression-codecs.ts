/**
 * KafkaJS's `CompressionCodecs` registry. KafkaJS ships only gzip and asks users to plug the
 * others in:
 *
 *   import SnappyCodec from 'kafkajs-snappy'
 *   CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec
 *
 * kafkats has all four codecs built in, so such lines are unnecessary; they are still accepted,
 * and a codec registered this way takes precedence over the built-in one for its type when
 * records are compressed or decompressed through {@link compressWithCodecs} /
 * {@link decompressWithCodecs}. Reading an entry that was not replaced gives the built-in codec
 * in KafkaJS's shape (`CompressionCodecs[CompressionTypes.ZSTD]().compress({ buffer })`).
 */
import { compress, decompress } from '../protocol/compression/index.js';
import { CompressionTypes } from '../protocol/compression/types.js';

/** KafkaJS's codec shape: `compress` receives KafkaJS's Encoder, of which only `buffer` is read. */
export interface CompressionCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer> | Buffer;
  decompress(buffer: Buffer): Promise<Buffer> | Buffer;
}

/** What the registry holds: a factory that returns the codec (KafkaJS calls it on every use). */
export type CompressionCodecFactory = () => CompressionCodec;

/** KafkaJS's `CompressionCodecs` type, keyed by `CompressionTypes` values. */
export interface CompressionCodecRegistry {
  [CompressionTypes.GZIP]: CompressionCodecFactory;
  [CompressionTypes.Snappy]: CompressionCodecFactory;
  [CompressionTypes.LZ4]: CompressionCodecFactory;
  [CompressionTypes.ZSTD]: CompressionCodecFactory;
}

const builtins = new WeakSet<CompressionCodecFactory>();

function builtin(type: number): CompressionCodecFactory {
  const codec: CompressionCodec = {
    compress: (encoder) => compress(type, encoder.buffer),
    decompress: (buffer) => decompress(type, buffer),
  };
  const factory = () => codec;
  builtins.add(factory);
  return factory;
}

export const CompressionCodecs: CompressionCodecRegistry = {
  [CompressionTypes.GZIP]: builtin(CompressionTypes.GZIP),
  [CompressionTypes.Snappy]: builtin(CompressionTypes.Snappy),
  [CompressionTypes.LZ4]: builtin(CompressionTypes.LZ4),
  [CompressionTypes.ZSTD]: builtin(CompressionTypes.ZSTD),
};

/**
 * The codec a user registered for `type` in {@link CompressionCodecs}, or undefined when the
 * entry is still kafkats' built-in one (or was deleted). Throws when the entry is not a factory
 * or the factory returns no codec, naming the entry, since that is a setup mistake.
 */
export function registeredCompressionCodec(type: number): CompressionCodec | undefined {
  const entry: unknown = (CompressionCodecs as unknown as Record<number, unknown>)[type];
  if (entry === undefined || entry === null) return undefined;
  if (typeof entry !== 'function')
    throw new TypeError(
      `CompressionCodecs[${type}] must be a function returning a codec, got ${typeof entry}`,
    );
  if (builtins.has(entry as CompressionCodecFactory)) return undefined;
  const codec = (entry as CompressionCodecFactory)();
  if (typeof codec?.compress !== 'function' || typeof codec?.decompress !== 'function')
    throw new TypeError(`CompressionCodecs[${type}]() must return { compress(encoder), decompress(buffer) }`);
  return codec;
}

/** Compresses with the codec registered for `type`, else with kafkats' built-in codec. */
export async function compressWithCodecs(type: number, data: Buffer): Promise<Buffer> {
  const codec = type === CompressionTypes.None ? undefined : registeredCompressionCodec(type);
  return codec ? Buffer.from(await codec.compress({ buffer: data })) : compress(type, data);
}

/** Decompresses with the codec registered for `type`, else with kafkats' built-in codec. */
export async function decompressWithCodecs(type: number, data: Buffer): Promise<Buffer> {
  const codec = type === CompressionTypes.None ? undefined : registeredCompressionCodec(type);
  return codec ? Buffer.from(await codec.decompress(data)) : decompress(type, data);
}
