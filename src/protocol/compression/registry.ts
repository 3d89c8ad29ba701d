/**
 * The codec registry behind KafkaJS's `CompressionCodecs`. KafkaJS ships only gzip and asks users
 * to plug the others in:
 *
 *   CompressionCodecs[CompressionTypes.LZ4] = () => ({ compress(encoder), decompress(buffer) })
 *
 * kafkats has all four codecs built in, so such lines are unnecessary, but they take effect: a
 * codec registered for a type replaces the built-in one in both directions, for the record
 * batches the producer writes and those the consumer reads. Assigning `undefined` (or deleting
 * the entry, or putting a built-in factory back) restores the built-in codec.
 *
 * The record encoder and decoder ask {@link registeredFactory} for each compressed batch: one
 * array read, so that nothing is paid while no codec is registered.
 */
import { KafkaJSError, KafkaProtocolError } from '../../errors/base.js';
import { compress, decompress, decompressSync } from './codecs.js';
import { CompressionTypes, compressionName } from './types.js';

/**
 * KafkaJS's codec shape. `compress` receives KafkaJS's Encoder, of which codecs read only
 * `buffer` (the records section to compress); both may answer synchronously or with a promise.
 */
export interface CompressionCodec {
  /** Compresses `encoder.buffer` (the records section of a batch). */
  compress(encoder: { buffer: Buffer }): Promise<Buffer> | Buffer;
  /** Decompresses a batch's records section. */
  decompress(buffer: Buffer): Promise<Buffer> | Buffer;
}

/** What the registry holds: a factory that returns the codec (called on every use, as KafkaJS does). */
export type CompressionCodecFactory = () => CompressionCodec;

/** KafkaJS's `CompressionCodecs` type, keyed by `CompressionTypes` values. */
export interface CompressionCodecRegistry {
  /** Factory of the gzip codec; the built-in one unless an application registered its own. */
  [CompressionTypes.GZIP]: CompressionCodecFactory;
  /** Factory of the snappy codec; the built-in one unless an application registered its own. */
  [CompressionTypes.Snappy]: CompressionCodecFactory;
  /** Factory of the lz4 codec; the built-in one unless an application registered its own. */
  [CompressionTypes.LZ4]: CompressionCodecFactory;
  /** Factory of the zstd codec; the built-in one unless an application registered its own. */
  [CompressionTypes.ZSTD]: CompressionCodecFactory;
}

const TYPES = [CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD];

/** The user's factory per codec id, or undefined while the built-in codec is in place. */
const registered: Array<CompressionCodecFactory | undefined> = [
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
];

const builtins = new Map<unknown, number>();

function builtinFactory(type: number): CompressionCodecFactory {
  const codec: CompressionCodec = {
    compress: (encoder) => compress(type, encoder.buffer),
    decompress: (buffer) => decompress(type, buffer),
  };
  const factory = () => codec;
  builtins.set(factory, type);
  return factory;
}

const table: Record<number, CompressionCodecFactory> = {};
for (const type of TYPES) table[type] = builtinFactory(type);
const builtinTable: Record<number, CompressionCodecFactory> = { ...table };

function isCodecKey(key: string | symbol): number | undefined {
  if (typeof key !== 'string') return undefined;
  const type = Number(key);
  return TYPES.includes(type as (typeof TYPES)[number]) && String(type) === key ? type : undefined;
}

/**
 * KafkaJS's `CompressionCodecs`. Reading an entry gives the codec factory in use (the built-in one
 * until replaced: `CompressionCodecs[CompressionTypes.ZSTD]().compress({ buffer })` works); assigning
 * a factory registers it. Assigning something that is not a function throws a TypeError at once.
 */
export const CompressionCodecs: CompressionCodecRegistry = new Proxy(table, {
  set(target, key, value: unknown) {
    const type = isCodecKey(key);
    if (type === undefined) return Reflect.set(target, key, value);
    if (value === undefined || value === null) {
      target[type] = builtinTable[type]!;
      registered[type] = undefined;
      return true;
    }
    if (typeof value !== 'function') {
      throw new TypeError(
        `CompressionCodecs[${type}] must be a function returning { compress(encoder), decompress(buffer) }, got ${typeof value}`,
      );
    }
    const factory = value as CompressionCodecFactory;
    target[type] = factory;
    // A built-in factory put back (possibly under another id) means the built-in codec of *that* id.
    const builtinType = builtins.get(factory);
    registered[type] = builtinType === type ? undefined : factory;
    return true;
  },
  deleteProperty(target, key) {
    const type = isCodecKey(key);
    if (type === undefined) return Reflect.deleteProperty(target, key);
    target[type] = builtinTable[type]!;
    registered[type] = undefined;
    return true;
  },
  defineProperty(target, key, descriptor) {
    const type = isCodecKey(key);
    if (type === undefined) return Reflect.defineProperty(target, key, descriptor);
    if (!('value' in descriptor)) {
      throw new TypeError(`CompressionCodecs[${type}] takes a codec factory, not an accessor`);
    }
    return Reflect.set(CompressionCodecs, key, descriptor.value);
  },
}) as unknown as CompressionCodecRegistry;

/** The factory a user registered for codec `type`, or undefined while the built-in one is in place. */
export function registeredFactory(type: number): CompressionCodecFactory | undefined {
  return registered[type];
}

/** True when a codec is registered for `type` (the built-in one is not used for it). */
export function hasRegisteredCodec(type: number): boolean {
  return registered[type] !== undefined;
}

function codecOf(type: number, factory: CompressionCodecFactory): CompressionCodec {
  const codec = factory();
  if (typeof codec?.compress !== 'function' || typeof codec?.decompress !== 'function') {
    throw new TypeError(`CompressionCodecs[${type}]() must return { compress(encoder), decompress(buffer) }`);
  }
  return codec;
}

/**
 * The codec a user registered for `type` in {@link CompressionCodecs} (its factory called once
 * more), or undefined while the entry is kafkats' built-in one. Throws when the factory returns
 * no codec, naming the entry, since that is a setup mistake.
 */
export function registeredCompressionCodec(type: number): CompressionCodec | undefined {
  const factory = registered[type];
  return factory === undefined ? undefined : codecOf(type, factory);
}

function toBuffer(out: unknown, type: number, what: string): Buffer {
  if (Buffer.isBuffer(out)) return out;
  if (out instanceof Uint8Array) return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  throw new TypeError(
    `the ${compressionName(type)} codec registered in CompressionCodecs returned ${out === null ? 'null' : typeof out} from ${what}, not a Buffer`,
  );
}

async function compressWith(type: number, factory: CompressionCodecFactory, data: Buffer): Promise<Buffer> {
  try {
    return toBuffer(await codecOf(type, factory).compress({ buffer: data }), type, 'compress');
  } catch (err) {
    if (err instanceof KafkaJSError) throw err;
    throw new KafkaJSError(
      `${compressionName(type)} compression (codec registered in CompressionCodecs) failed: ${(err as Error)?.message ?? String(err)}`,
      { retriable: false, cause: err },
    );
  }
}

function decompressError(type: number, err: unknown): KafkaProtocolError {
  if (err instanceof KafkaProtocolError) return err;
  return new KafkaProtocolError(
    `${compressionName(type)} data does not decompress with the codec registered in CompressionCodecs: ${(err as Error)?.message ?? String(err)}`,
    undefined,
    { cause: err },
  );
}

/**
 * Compresses a records section for a batch of codec `type`: with the registered codec if there
 * is one, else with the built-in codec.
 */
export function compressRecords(type: number, data: Buffer): Promise<Buffer> {
  const factory = registered[type];
  return factory === undefined ? compress(type, data) : compressWith(type, factory, data);
}

/** Decompresses a records section: with the registered codec if there is one, else the built-in codec. */
export async function decompressRecords(type: number, data: Buffer): Promise<Buffer> {
  const factory = registered[type];
  if (factory === undefined) return decompress(type, data);
  try {
    return toBuffer(await codecOf(type, factory).decompress(data), type, 'decompress');
  } catch (err) {
    throw decompressError(type, err);
  }
}

/**
 * Decompresses synchronously. The built-in codec must be loaded (see `loadCompressionCodec`); a
 * registered codec must answer without a promise, else this throws telling the caller to use the
 * asynchronous path (`batch.records()`).
 */
export function decompressRecordsSync(type: number, data: Buffer): Buffer {
  const factory = registered[type];
  if (factory === undefined) return decompressSync(type, data);
  let out: unknown;
  try {
    out = codecOf(type, factory).decompress(data);
  } catch (err) {
    throw decompressError(type, err);
  }
  if (out !== null && typeof (out as { then?: unknown }).then === 'function') {
    // Nothing to wait for here; keep the rejection, if any, from going unhandled.
    (out as Promise<unknown>).then(undefined, () => undefined);
    throw new KafkaJSError(
      `the ${compressionName(type)} codec registered in CompressionCodecs decompresses asynchronously; use batch.records() instead of recordsSync()`,
      { retriable: false },
    );
  }
  return toBuffer(out, type, 'decompress');
}

/** {@link compressRecords} under the name the compat module has always exported. */
export const compressWithCodecs = compressRecords;
/** {@link decompressRecords} under the name the compat module has always exported. */
export const decompressWithCodecs = decompressRecords;
