import type { KafkaRecord } from '../protocol/records/types.js';

/** KafkaJS's `IHeaders`: a repeated header key becomes an array. */
export type IHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** KafkaJS's `KafkaMessage` (offsets and timestamps as strings). */
export interface KafkaMessage {
  /** The record key; null when the record has none. */
  key: Buffer | null;
  /** The record value; null for a tombstone. */
  value: Buffer | null;
  /**
   * Record timestamp in milliseconds since the epoch, as a decimal string (create or log-append time
   * per the topic's `message.timestamp.type`).
   */
  timestamp: string;
  /** Record batch attributes (compression codec bits, timestamp type, transactional and control flags). */
  attributes: number;
  /** Offset of the record in its partition, as a decimal string. */
  offset: string;
  /** Record headers; a key that repeats maps to an array of its values. */
  headers: IHeaders;
  /**
   * Never set: KafkaJS has `size` only on pre-0.11 message-set entries, which carry no headers,
   * and its type forbids a message having both. Kept so `KafkaMessage` assigns to KafkaJS's.
   */
  size?: never;
}

// Records of a batch mostly share their timestamp, and turning a 13-digit Number (not a small
// integer) into a string is the dearest step here: remember the last one.
let lastTimestamp = Number.NaN;
let lastTimestampString = '';

function timestampString(timestamp: number): string {
  if (timestamp !== lastTimestamp) {
    lastTimestamp = timestamp;
    lastTimestampString = String(timestamp);
  }
  return lastTimestampString;
}

export function toKafkaMessage(r: KafkaRecord): KafkaMessage {
  const headers: IHeaders = {};
  if (r.headers.length > 0) {
    for (const h of r.headers) {
      const v = h.value ?? undefined;
      const prev = headers[h.key];
      if (prev === undefined) headers[h.key] = v as Buffer;
      else headers[h.key] = Array.isArray(prev) ? [...prev, v as Buffer] : [prev, v as Buffer];
    }
  }
  return {
    key: r.key,
    value: r.value,
    timestamp: timestampString(r.timestamp),
    attributes: r.attributes,
    offset: String(r.offset),
    headers,
  };
}

/** KafkaJS's `Batch`. */
export interface Batch {
  /** Topic of the batch. */
  topic: string;
  /** Partition of the batch. */
  partition: number;
  /**
   * High watermark of the partition when fetched: the offset after the last committed record (decimal
   * string).
   */
  highWatermark: string;
  /** The batch's messages, in offset order. */
  messages: KafkaMessage[];
  /** True when the batch has no messages. */
  isEmpty(): boolean;
  /** Offset of the first message, or null when the batch is empty. */
  firstOffset(): string | null;
  /** Offset of the last message (the high watermark minus one when the batch is empty). */
  lastOffset(): string;
  /** Messages after the last message of the batch up to the high watermark (decimal string). */
  offsetLag(): string;
  /** Messages from the first message of the batch up to the high watermark (decimal string). */
  offsetLagLow(): string;
}

export function toBatch(
  topic: string,
  partition: number,
  highWatermark: number,
  records: KafkaRecord[],
): Batch {
  const messages = records.map(toKafkaMessage);
  const first = records[0]?.offset;
  const last = records[records.length - 1]?.offset;
  return {
    topic,
    partition,
    highWatermark: String(highWatermark),
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => (first === undefined ? null : String(first)),
    lastOffset: () => (last === undefined ? String(highWatermark - 1) : String(last)),
    offsetLag: () => String(Math.max(0, highWatermark - 1 - (last ?? highWatermark - 1))),
    offsetLagLow: () => String(Math.max(0, highWatermark - 1 - (first ?? highWatermark - 1))),
  };
}
