import { KafkaJSInvalidArgument } from '../errors/network.js';
import type { RecordHeader, RecordInput } from '../protocol/records/types.js';

/** A header value as send() takes it: bytes, or a string sent as UTF-8. */
export type HeaderValue = Buffer | string;

/** KafkaJS's `IHeaders`: a repeated header is an array of values. */
export interface IHeaders {
  [key: string]: HeaderValue | HeaderValue[] | undefined;
}

/** What a key or value is without a serializer: bytes or a UTF-8 string. */
export type RawMessageData = Buffer | string;

/**
 * One message of `send({ topic, messages })`, as KafkaJS defines it. `K` and `V` are what the
 * producer's `keySerializer` / `valueSerializer` take (bytes or strings without one).
 */
export interface Message<K = RawMessageData, V = RawMessageData> {
  /** The record key; keyed records go to the partition its hash picks. Absent or null for none. */
  key?: K | null;
  /** The record value; null writes a tombstone (deletes the key on a compacted topic). */
  value: V | null;
  /** Writes to this partition instead of asking the partitioner. */
  partition?: number;
  /** Record headers; an array value writes the key once per element. */
  headers?: IHeaders;
  /** Milliseconds since the epoch (as a number or a decimal string); default now. */
  timestamp?: string | number;
}

function toBuffer(v: Buffer | string): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

function headersOf(headers: IHeaders, where: string): RecordHeader[] {
  const out: RecordHeader[] = [];
  for (const key of Object.keys(headers)) {
    const v = headers[key];
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      if (typeof one !== 'string' && !Buffer.isBuffer(one)) {
        throw new KafkaJSInvalidArgument(
          `${where}.headers.${key}`,
          'header values must be strings or Buffers',
        );
      }
      out.push({ key, value: toBuffer(one) });
    }
  }
  return out;
}

function timestampOf(ts: string | number | undefined, now: number, where: string): number {
  if (ts === undefined || ts === null) return now;
  const n = typeof ts === 'string' ? Number(ts) : ts;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new KafkaJSInvalidArgument(
      `${where}.timestamp`,
      `must be milliseconds since the epoch, got ${String(ts)}`,
    );
  }
  return n;
}

/**
 * Checks one message and turns it into the record encoder's input. Throws a
 * {@link KafkaJSInvalidArgument} naming the message (`messages[3].value`) and the problem; the
 * producer is left untouched and usable. `at` is the message's index in `messages` or a name
 * for it: an index costs no string per record on the send path, the name is built on error only.
 */
export function toRecord(message: Message, now: number, at: number | string): RecordInput {
  if (
    message !== null &&
    typeof message === 'object' &&
    (message.value === null || Buffer.isBuffer(message.value)) &&
    (message.key === undefined || message.key === null || Buffer.isBuffer(message.key)) &&
    (message.partition === undefined || message.partition === null) &&
    (message.headers === undefined || message.headers === null) &&
    message.timestamp === undefined
  ) {
    // The common case (bytes, no headers, partition or timestamp): nothing to convert or check.
    return { key: message.key ?? null, value: message.value, headers: undefined, timestamp: now };
  }
  return checkedRecord(message, now, typeof at === 'number' ? `messages[${at}]` : at);
}

function checkedRecord(message: Message, now: number, where: string): RecordInput {
  if (message === null || typeof message !== 'object') {
    throw new KafkaJSInvalidArgument(
      where,
      'each message must be an object { key?, value, headers?, partition?, timestamp? }',
    );
  }
  const { key, value, headers } = message;
  if (value !== null && typeof value !== 'string' && !Buffer.isBuffer(value)) {
    throw new KafkaJSInvalidArgument(
      `${where}.value`,
      `must be a Buffer, a string or null, got ${value === undefined ? 'undefined' : typeof value}`,
    );
  }
  if (key !== undefined && key !== null && typeof key !== 'string' && !Buffer.isBuffer(key)) {
    throw new KafkaJSInvalidArgument(
      `${where}.key`,
      `must be a Buffer, a string, null or absent, got ${typeof key}`,
    );
  }
  const partition = message.partition;
  if (partition !== undefined && partition !== null && (!Number.isInteger(partition) || partition < 0)) {
    throw new KafkaJSInvalidArgument(
      `${where}.partition`,
      `must be a non-negative integer, got ${String(partition)}`,
    );
  }
  if (headers !== undefined && headers !== null && typeof headers !== 'object') {
    throw new KafkaJSInvalidArgument(`${where}.headers`, 'must be an object of string or Buffer values');
  }
  return {
    key: key === undefined || key === null ? null : toBuffer(key),
    value: value === null ? null : toBuffer(value),
    headers: headers ? headersOf(headers, where) : undefined,
    timestamp: timestampOf(message.timestamp, now, where),
  };
}
