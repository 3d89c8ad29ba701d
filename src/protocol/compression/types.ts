/**
 * Codec ids as they appear in the low three bits of a record batch's attributes. The names are
 * KafkaJS's `CompressionTypes`, so `compression: CompressionTypes.GZIP` keeps working.
 */
export const CompressionTypes = {
  /** No compression (the producer's default). */
  None: 0,
  /** gzip. */
  GZIP: 1,
  /** Snappy. */
  Snappy: 2,
  /** LZ4 (frame format). */
  LZ4: 3,
  /** Zstandard (brokers 2.1+). */
  ZSTD: 4,
} as const;

/** One value of {@link CompressionTypes}. */
export type CompressionType = (typeof CompressionTypes)[keyof typeof CompressionTypes];
/** `CompressionTypes` as a type too, as KafkaJS's enum is (`compression?: CompressionTypes`). */
export type CompressionTypes = CompressionType;

const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/**
 * A codec's lower-case name, as Kafka spells it (`compression.type=lz4`).
 *
 * @useDeclaredType
 */
export type CompressionName = (typeof NAMES)[number];

/** The lower-case name Kafka uses for a codec (`compression.type=lz4`). */
export function compressionName(type: number): CompressionName | `unknown(${number})` {
  return NAMES[type] ?? `unknown(${type})`;
}

/** Whether `type` is a codec id kafkats knows: 0 (none) to 4 (zstd). */
export function isCompressionType(type: number): type is CompressionType {
  return Number.isInteger(type) && type >= 0 && type <= 4;
}
