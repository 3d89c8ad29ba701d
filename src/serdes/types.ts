/** Record headers as send() takes them and the consumer delivers them. */
export type SerdeHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** What a serializer is told about the record it encodes. */
export interface SerializerContext {
  /** Topic the message is sent to. */
  topic: string;
  /** The message's headers (a serializer may add to them, e.g. a content type or schema id). */
  headers: SerdeHeaders;
}

/** What a deserializer is told about the record it decodes. */
export interface DeserializerContext {
  /** Topic of the record. */
  topic: string;
  /** Partition of the record. */
  partition: number;
  /** Offset of the record (decimal string). */
  offset: string;
  /** The record's headers as the consumer delivers them. */
  headers: SerdeHeaders;
}

/**
 * Turns a value of type `T` into the bytes of a record key or value; `null` means a null key or
 * value (a tombstone for values). Synchronous: it runs once per record on the send path.
 */
export interface Serializer<T> {
  /** Encodes one key or value; `null` writes a null (a tombstone, for a value). */
  serialize(value: T, context: SerializerContext): Buffer | null;
}

/**
 * Turns a record's key or value bytes into `T`. `data` is null for a null key or value; a
 * deserializer that does not expect that should throw (the consumer's `onDeserializationError`
 * policy then applies).
 */
export interface Deserializer<T> {
  /** Decodes one key or value as it came from the broker (`null` for a null key or tombstone). */
  deserialize(data: Buffer | null, context: DeserializerContext): T;
}

/** A serializer and deserializer of the same type, for use on both sides. */
export interface Serde<T> extends Serializer<T>, Deserializer<T> {}
