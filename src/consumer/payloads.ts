import type { KafkaRecord } from '../protocol/records/types.js';

/** KafkaJS's `IHeaders`: a repeated header key becomes an array. */
export type IHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** KafkaJS's `KafkaMessage` (offsets and timestamps as strings). */
export interface KafkaMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  attributes: number;
  offset: string;
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
  topic: string;
  partition: number;
  highWatermark: string;
  messages: KafkaMessage[];
  isEmpty(): boolean;
  firstOffset(): string | null;
  lastOffset(): string;
  offsetLag(): string;
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
