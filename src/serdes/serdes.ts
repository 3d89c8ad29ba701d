import type { Deserializer, DeserializerContext, Serde, Serializer, SerializerContext } from './types.js';

/** UTF-8 strings; null stays null. */
export const stringSerde: Serde<string | null> = Object.freeze({
  serialize: (value: string | null) => (value === null ? null : Buffer.from(value, 'utf8')),
  deserialize: (data: Buffer | null) => (data === null ? null : data.toString('utf8')),
});

/** Bytes as they are; null stays null. */
export const bufferSerde: Serde<Buffer | null> = Object.freeze({
  serialize: (value: Buffer | null) => value,
  deserialize: (data: Buffer | null) => data,
});

/**
 * JSON in UTF-8. `null` is a null record value (a tombstone), not the text `null`. The
 * deserializer does not check that the parsed value is a `T`: pass `validate` (a type guard or
 * a schema check that throws) when the topic's contents are not trusted.
 */
export function jsonSerde<T>(options: { validate?: (value: unknown) => value is T } = {}): Serde<T | null> {
  const validate = options.validate;
  return {
    serialize(value: T | null): Buffer | null {
      if (value === null || value === undefined) return null;
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`${typeof value} is not JSON-serializable`);
      return Buffer.from(text, 'utf8');
    },
    deserialize(data: Buffer | null): T | null {
      if (data === null) return null;
      const parsed: unknown = JSON.parse(data.toString('utf8'));
      if (validate && !validate(parsed)) throw new TypeError('the JSON value failed validation');
      return parsed as T;
    },
  };
}

/** A serializer from a function, for one-off encodings. */
export function serializer<T>(fn: (value: T, context: SerializerContext) => Buffer | null): Serializer<T> {
  return { serialize: fn };
}

/** A deserializer from a function. */
export function deserializer<T>(
  fn: (data: Buffer | null, context: DeserializerContext) => T,
): Deserializer<T> {
  return { deserialize: fn };
}

/** The built-in serdes under one name: `Serdes.string`, `Serdes.buffer`, `Serdes.json<T>()`. */
export const Serdes = Object.freeze({
  /** UTF-8 strings; null stays null. */
  string: stringSerde,
  /** Bytes as they are; null stays null. */
  buffer: bufferSerde,
  /** `Serdes.json<T>({ validate? })`: JSON in UTF-8, null as a tombstone. */
  json: jsonSerde,
  /** A serializer from a function `(value, { topic, headers }) => Buffer | null`. */
  serializer,
  /** A deserializer from a function `(data, context) => T`. */
  deserializer,
});
