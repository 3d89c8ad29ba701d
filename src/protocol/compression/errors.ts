import { KafkaJSError, KafkaProtocolError } from '../../errors/base.js';

/**
 * A compression codec whose native module is not installed (or failed to load). Raised only when
 * that codec is actually used, so a program that never sees snappy data never needs the package.
 */
export class KafkaJSCompressionCodecUnavailableError extends KafkaJSError {
  /** The codec that could not be loaded, e.g. `snappy`, `lz4`, `zstd`. */
  readonly codec: string;
  /** The npm package that provides the codec. */
  readonly packageName: string;

  constructor(codec: string, packageName: string, cause: unknown) {
    super(
      `The ${codec} compression codec needs the optional npm package "${packageName}", which could not be ` +
        `loaded. Install it with \`npm install ${packageName}\` (it ships prebuilt binaries for common ` +
        `platforms), or use another compression type.`,
      { retriable: false, cause },
    );
    this.codec = codec;
    this.packageName = packageName;
  }
}

/**
 * A compressed batch whose records would decompress to more than the configured limit
 * (`maxDecompressedBatchBytes`). Not retriable: the same bytes are stored in the log and will
 * decompress to the same size however often they are fetched. The decompression stops at the
 * limit, so the oversized output is never held.
 */
export class KafkaJSDecompressionLimitError extends KafkaProtocolError {
  /** Name of the codec that decompressed the batch (`gzip`, `snappy`, `lz4`, `zstd`). */
  readonly codec: string;
  /** The limit, in bytes, that the batch exceeds. */
  readonly limit: number;

  constructor(codec: string, limit: number, detail: string) {
    super(
      `${codec} data decompresses to more than the limit of ${limit} bytes (${detail}); raise maxDecompressedBatchBytes if such batches are expected`,
      undefined,
      { retriable: false },
    );
    this.codec = codec;
    this.limit = limit;
  }
}
