/**
 * KafkaJS's `CompressionCodecs` registry. KafkaJS ships only gzip and asks users to plug the
 * others in:
 *
 *   import SnappyCodec from 'kafkajs-snappy'
 *   CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec
 *
 * kafkats has all four codecs built in, so such lines are unnecessary; they are still accepted,
 * and a codec registered this way replaces the built-in one for its type, for the batches the
 * producer compresses and those the consumer decompresses. The registry itself lives in
 * src/protocol/compression/registry.ts, where the record encoder and decoder look codecs up.
 */
export {
  type CompressionCodec,
  type CompressionCodecFactory,
  type CompressionCodecRegistry,
  CompressionCodecs,
  compressWithCodecs,
  decompressWithCodecs,
  registeredCompressionCodec,
} from '../protocol/compression/registry.js';
