import { KafkaProtocolError } from '../../errors/base.js';
import { Reader } from '../codec/reader.js';
import { decodeControlRecord } from './control.js';
import type { KafkaRecord, RecordHeader } from './types.js';

/** The smallest a v2 record can be: length, attributes, timestamp, offset, key, value, header count. */
const MIN_RECORD_SIZE = 7;

/** The batch-level values each record of a v2 batch is decoded against (base offset, timestamps). */
export interface RecordsContext {
  /** The batch's base offset: each record's offset is this plus its delta. */
  baseOffset: number;
  /** The batch's base timestamp: each record's timestamp is this plus its delta. */
  baseTimestamp: number;
  /** For LogAppendTime batches: the time every record takes. */
  logAppendTime: number | undefined;
  /** Whether the batch is a control batch, whose records are decoded as control records. */
  isControl: boolean;
}

/**
 * A zigzag varint at `r.pos`, decoded inline when it takes one or two bytes: record lengths and
 * value lengths of 64 to 8191 bytes and offset deltas of 64 to 8191 take two, which the Reader's
 * one-byte fast path misses. Anything longer, or at the end of the input, goes to the Reader.
 */
function zigzag(r: Reader, buf: Buffer, end: number): number {
  const p = r.pos;
  if (p + 1 < end) {
    const b0 = buf[p]!;
    if (b0 < 0x80) {
      r.pos = p + 1;
      return (b0 >>> 1) ^ -(b0 & 1);
    }
    const b1 = buf[p + 1]!;
    if (b1 < 0x80) {
      r.pos = p + 2;
      const z = (b0 & 0x7f) | (b1 << 7);
      return (z >>> 1) ^ -(z & 1);
    }
  }
  return r.varint();
}

/** {@link zigzag} for a varlong (timestamp deltas): same fast paths, the Reader's exact varlong otherwise. */
function zigzagLong(r: Reader, buf: Buffer, end: number): number {
  const p = r.pos;
  if (p + 1 < end) {
    const b0 = buf[p]!;
    if (b0 < 0x80) {
      r.pos = p + 1;
      return (b0 >>> 1) ^ -(b0 & 1);
    }
    const b1 = buf[p + 1]!;
    if (b1 < 0x80) {
      r.pos = p + 2;
      const z = (b0 & 0x7f) | (b1 << 7);
      return (z >>> 1) ^ -(z & 1);
    }
  }
  return r.varlongNumber();
}

/**
 * Decodes the records section of a v2 batch, `buf[start, end)`. Keys, values and header values
 * are views of `buf`.
 */
export function decodeRecords(
  buf: Buffer,
  start: number,
  end: number,
  count: number,
  ctx: RecordsContext,
): KafkaRecord[] {
  if (count < 0 || count > (end - start) / MIN_RECORD_SIZE) {
    throw new KafkaProtocolError(`record count ${count} cannot fit in ${end - start} bytes`, start);
  }
  const r = new Reader(buf, start, end);
  const out = new Array<KafkaRecord>(count);
  for (let i = 0; i < count; i++) {
    const length = zigzag(r, buf, end);
    const recordStart = r.pos;
    if (length < 0 || recordStart + length > end) {
      throw new KafkaProtocolError(`record length ${length} overruns the batch`, recordStart);
    }
    out[i] = decodeRecordBody(r, buf, end, recordStart, length, ctx);
  }
  if (r.pos !== end) {
    throw new KafkaProtocolError(`${end - r.pos} bytes left over after the batch's ${count} records`, r.pos);
  }
  return out;
}

/**
 * One record's fields, after its length: `r` stands at `recordStart` and the record must end at
 * `recordStart + length` (reads never pass `end`). Keys, values and header values are views of `buf`.
 */
export function decodeRecordBody(
  r: Reader,
  buf: Buffer,
  end: number,
  recordStart: number,
  length: number,
  ctx: RecordsContext,
): KafkaRecord {
  if (r.pos >= end) r.need(1);
  const attributes = (buf[r.pos++]! << 24) >> 24;
  const timestampDelta = zigzagLong(r, buf, end);
  const offsetDelta = zigzag(r, buf, end);
  const keyLength = zigzag(r, buf, end);
  if (keyLength < -1) throw new KafkaProtocolError(`invalid record key length ${keyLength}`, r.pos);
  const key = keyLength === -1 ? null : r.raw(keyLength);
  const valueLength = zigzag(r, buf, end);
  if (valueLength < -1) throw new KafkaProtocolError(`invalid record value length ${valueLength}`, r.pos);
  const value = valueLength === -1 ? null : r.raw(valueLength);
  const headerCount = zigzag(r, buf, end);
  if (headerCount < 0 || headerCount * 2 > r.remaining) {
    throw new KafkaProtocolError(`header count ${headerCount} cannot fit in the record`, r.pos);
  }
  const headers = new Array<RecordHeader>(headerCount);
  for (let h = 0; h < headerCount; h++) {
    const hk = zigzag(r, buf, end);
    if (hk < 0) throw new KafkaProtocolError(`invalid header key length ${hk}`, r.pos);
    r.need(hk);
    const hkey = buf.toString('utf8', r.pos, r.pos + hk);
    r.pos += hk;
    const hv = zigzag(r, buf, end);
    if (hv < -1) throw new KafkaProtocolError(`invalid header value length ${hv}`, r.pos);
    headers[h] = { key: hkey, value: hv === -1 ? null : r.raw(hv) };
  }
  if (r.pos !== recordStart + length) {
    throw new KafkaProtocolError(
      `record declared ${length} bytes but holds ${r.pos - recordStart}`,
      recordStart,
    );
  }
  const record: KafkaRecord = {
    offset: ctx.baseOffset + offsetDelta,
    offsetDelta,
    timestamp: ctx.logAppendTime ?? ctx.baseTimestamp + timestampDelta,
    attributes,
    key,
    value,
    headers,
  };
  if (ctx.isControl) record.control = decodeControlRecord(key, value);
  return record;
}

/** The record length prefix at `r.pos` (a zigzag varint), with the same fast paths. */
export function readRecordLength(r: Reader, buf: Buffer, end: number): number {
  return zigzag(r, buf, end);
}
