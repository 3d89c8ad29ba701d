export {
  compress,
  decompress,
  decompressSync,
  isCompressionCodecLoaded,
  loadCompressionCodec,
} from './codecs.js';
export { KafkaJSCompressionCodecUnavailableError } from './errors.js';
export { isXerialFramed, XERIAL_MAGIC } from './snappy.js';
export {
  type CompressionName,
  type CompressionType,
  CompressionTypes,
  compressionName,
  isCompressionType,
} from './types.js';
