/**
 * Codec ids as they appear in the low three bits of a record batch's attributes. The names are
 * KafkaJS's `CompressionTypes`, so `compression: CompressionTypes.GZIP` keeps working.
 */
export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const;

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
