/**
 * Bounded, incremental decompression: the records of a compressed batch are read from pieces of
 * decompressed bytes as the reader asks for them, so that a batch of very high ratio (a
 * "decompression bomb") never sits in memory whole, and a batch that would decompress beyond
 * `maxBytes` fails when the limit is reached instead of after allocating it.
 *
 * - zstd streams through libzstd's ZSTD_decompressStream into 1 MiB pieces (a frame that
 *   declares a small content size is decompressed in one call, as before);
 * - lz4 frames are parsed here and decoded block by block (at most 4 MiB each);
 * - snappy in xerial framing is decoded block by block (32 KiB each, joined into ~1 MiB pieces);
 * - gzip is inflated a few KiB of input at a time into ~1 MiB pieces;
 * - raw snappy (one block by definition) is decoded in one piece, after its declared length is
 *   checked against `maxBytes`.
 */
import { KafkaProtocolError } from '../../errors/base.js';
import { KafkaJSCompressionCodecUnavailableError, KafkaJSDecompressionLimitError } from './errors.js';
import { gunzipReader } from './gzip.js';
import { Lz4FrameReader } from './lz4-frame.js';
import { nativeIfLoaded, nativePackageName } from './native.js';
import { snappyReaderBounded } from './snappy.js';
import { CompressionTypes, compressionName, isCompressionType } from './types.js';
import { zstdReaderBounded } from './zstd.js';

/** The default limit on what one batch's records may decompress to: 256 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES = 256 * 1024 * 1024;

/** Decompressed bytes in hand at a time, for the codecs that stream. */
export const DECOMPRESSION_PIECE_BYTES = 1024 * 1024;

/** A source of decompressed bytes, read piece by piece. */
export interface DecompressionReader {
  /** The next piece (never empty), or null once the input is used up and checked complete. */
  read(): Buffer | null;
}

/** A reader over bytes already in memory (uncompressed data, or a registered codec's output). */
export function bufferReader(data: Buffer, maxBytes: number, codec: string): DecompressionReader {
  if (data.length > maxBytes) {
    throw new KafkaJSDecompressionLimitError(codec, maxBytes, `it decompressed to ${data.length} bytes`);
  }
  let done = data.length === 0;
  return {
    read() {
      if (done) return null;
      done = true;
      return data;
    },
  };
}

/** Counts what a reader produces and fails once the total passes `maxBytes`. */
export function limitReader(
  inner: DecompressionReader,
  maxBytes: number,
  codec: string,
): DecompressionReader {
  let total = 0;
  return {
    read() {
      const piece = inner.read();
      if (piece === null) return null;
      total += piece.length;
      if (total > maxBytes) {
        throw new KafkaJSDecompressionLimitError(codec, maxBytes, `${total} bytes decompressed so far`);
      }
      return piece;
    },
  };
}

function unavailable(type: number): KafkaJSCompressionCodecUnavailableError {
  const name = compressionName(type) as 'snappy' | 'lz4' | 'zstd';
  return new KafkaJSCompressionCodecUnavailableError(
    name,
    nativePackageName(name),
    new Error(`${name} is not loaded yet: call loadCompressionCodec(${type}) first`),
  );
}

/**
 * Opens `data` (compressed with built-in codec `type`) for incremental reading, failing with
 * {@link KafkaJSDecompressionLimitError} once more than `maxBytes` come out and with
 * {@link KafkaProtocolError} when the bytes are not valid (truncated, corrupt, unknown codec).
 * The codec must be loaded (see `loadCompressionCodec`).
 */
export function openDecompression(type: number, data: Buffer, maxBytes: number): DecompressionReader {
  if (!isCompressionType(type)) {
    throw new KafkaProtocolError(
      `unknown compression codec ${type} (known: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)`,
      undefined,
      { retriable: false },
    );
  }
  const name = compressionName(type);
  try {
    switch (type) {
      case CompressionTypes.None:
        return bufferReader(data, maxBytes, name);
      case CompressionTypes.GZIP:
        return guard(limitReader(gunzipReader(data, maxBytes), maxBytes, name), name);
      case CompressionTypes.Snappy: {
        const snappy = nativeIfLoaded('snappy');
        if (!snappy) throw unavailable(type);
        return guard(limitReader(snappyReaderBounded(snappy, data, maxBytes), maxBytes, name), name);
      }
      case CompressionTypes.LZ4: {
        const lz4 = nativeIfLoaded('lz4');
        if (!lz4) throw unavailable(type);
        return guard(limitReader(new Lz4FrameReader(lz4, data, maxBytes), maxBytes, name), name);
      }
      case CompressionTypes.ZSTD: {
        const zstd = nativeIfLoaded('zstd');
        if (!zstd) throw unavailable(type);
        return guard(
          limitReader(
            zstdReaderBounded(zstd.binding, data, maxBytes, DECOMPRESSION_PIECE_BYTES),
            maxBytes,
            name,
          ),
          name,
        );
      }
    }
  } catch (err) {
    throw asProtocolError(name, err);
  }
}

function asProtocolError(name: string, err: unknown): Error {
  if (err instanceof KafkaProtocolError || err instanceof KafkaJSCompressionCodecUnavailableError) return err;
  return new KafkaProtocolError(
    `${name} data does not decompress: ${(err as Error)?.message ?? String(err)}`,
    undefined,
    { cause: err, retriable: false },
  );
}

/** Native codecs throw plain Errors on bad input: make every failure a typed one. */
function guard(inner: DecompressionReader, name: string): DecompressionReader {
  return {
    read() {
      try {
        return inner.read();
      } catch (err) {
        throw asProtocolError(name, err);
      }
    },
  };
}

/** All of {@link openDecompression}'s output in one Buffer (at most `maxBytes`). */
export function decompressBounded(type: number, data: Buffer, maxBytes: number): Buffer {
  const reader = openDecompression(type, data, maxBytes);
  const pieces: Buffer[] = [];
  let total = 0;
  for (let piece = reader.read(); piece !== null; piece = reader.read()) {
    pieces.push(piece);
    total += piece.length;
  }
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, total);
}
