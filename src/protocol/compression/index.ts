export {
  compress,
  decompress,
  decompressSync,
  isCompressionCodecLoaded,
  loadCompressionCodec,
} from './codecs.js';
export { KafkaJSCompressionCodecUnavailableError, KafkaJSDecompressionLimitError } from './errors.js';
export { isXerialFramed, XERIAL_MAGIC } from './snappy.js';
export {
  DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
  type DecompressionReader,
  decompressBounded,
  openDecompression,
} from './stream.js';
export {
  type CompressionName,
  type CompressionType,
  CompressionTypes,
  compressionName,
  isCompressionType,
} from './types.js';
