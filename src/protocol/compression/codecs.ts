import { KafkaJSError, KafkaProtocolError } from '../../errors/base.js';
import { KafkaJSCompressionCodecUnavailableError } from './errors.js';
import { gzipCompress, gzipDecompress } from './gzip.js';
import { loadNative, nativeIfLoaded } from './native.js';
import { snappyCompressXerial, snappyDecompress } from './snappy.js';
import { CompressionTypes, compressionName, isCompressionType } from './types.js';

/** The LZ4 frame options Kafka's Java client uses: independent blocks, no block checksums. */
const LZ4_FRAME_OPTIONS = { contentChecksum: false, blockChecksums: false };

function unknownCodec(type: number): KafkaProtocolError {
  return new KafkaProtocolError(
    `unknown compression codec ${type} (known: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)`,
  );
}

/**
 * Loads what codec `type` needs (a native module for snappy, lz4 and zstd) so that the
 * synchronous {@link decompressSync} can use it. Rejects with
 * {@link KafkaJSCompressionCodecUnavailableError} when the package is not installed.
 */
export async function loadCompressionCodec(type: number): Promise<void> {
  switch (type) {
    case CompressionTypes.None:
    case CompressionTypes.GZIP:
      return;
    case CompressionTypes.Snappy:
      await loadNative('snappy');
      return;
    case CompressionTypes.LZ4:
      await loadNative('lz4');
      return;
    case CompressionTypes.ZSTD:
      await loadNative('zstd');
      return;
    default:
      throw unknownCodec(type);
  }
}

/** True when {@link decompressSync} can run for `type` without loading anything first. */
export function isCompressionCodecLoaded(type: number): boolean {
  switch (type) {
    case CompressionTypes.None:
    case CompressionTypes.GZIP:
      return true;
    case CompressionTypes.Snappy:
      return nativeIfLoaded('snappy') !== undefined;
    case CompressionTypes.LZ4:
      return nativeIfLoaded('lz4') !== undefined;
    case CompressionTypes.ZSTD:
      return nativeIfLoaded('zstd') !== undefined;
    default:
      return false;
  }
}

/** Compresses `data` in the framing the Java client writes for codec `type`. */
export async function compress(type: number, data: Buffer): Promise<Buffer> {
  if (!isCompressionType(type)) throw unknownCodec(type);
  try {
    switch (type) {
      case CompressionTypes.None:
        return data;
      case CompressionTypes.GZIP:
        return await gzipCompress(data);
      case CompressionTypes.Snappy:
        return snappyCompressXerial(await loadNative('snappy'), data);
      case CompressionTypes.LZ4:
        return (await loadNative('lz4')).compressFrameSync(data, LZ4_FRAME_OPTIONS);
      case CompressionTypes.ZSTD:
        return (await loadNative('zstd')).compress(data);
    }
  } catch (err) {
    if (err instanceof KafkaJSError) throw err;
    throw new KafkaJSError(`${compressionName(type)} compression failed: ${(err as Error).message}`, {
      retriable: false,
      cause: err,
    });
  }
}

/**
 * Decompresses synchronously. The codec must be loaded already (gzip always is; see
 * {@link loadCompressionCodec}); otherwise this throws
 * {@link KafkaJSCompressionCodecUnavailableError} telling the caller to use {@link decompress}.
 * Bytes that do not decompress throw {@link KafkaProtocolError}.
 */
export function decompressSync(type: number, data: Buffer): Buffer {
  if (!isCompressionType(type)) throw unknownCodec(type);
  if (type === CompressionTypes.None) return data;
  if (!isCompressionCodecLoaded(type)) {
    const name = compressionName(type);
    throw new KafkaJSCompressionCodecUnavailableError(
      name,
      name === 'snappy' ? '@napi-rs/snappy' : `${name}-napi`,
      new Error(`${name} is not loaded yet: call loadCompressionCodec(${type}) or use decompress()`),
    );
  }
  try {
    switch (type) {
      case CompressionTypes.GZIP:
        return gzipDecompress(data);
      case CompressionTypes.Snappy:
        return snappyDecompress(nativeIfLoaded('snappy')!, data);
      case CompressionTypes.LZ4:
        return nativeIfLoaded('lz4')!.decompressFrameSync(data);
      case CompressionTypes.ZSTD:
        return nativeIfLoaded('zstd')!.decompress(data);
    }
  } catch (err) {
    if (err instanceof KafkaProtocolError) throw err;
    throw new KafkaProtocolError(
      `${compressionName(type)} data does not decompress: ${(err as Error)?.message ?? String(err)}`,
      undefined,
      { cause: err },
    );
  }
}

/** Decompresses, loading the codec first when needed. */
export async function decompress(type: number, data: Buffer): Promise<Buffer> {
  await loadCompressionCodec(type);
  return decompressSync(type, data);
}
