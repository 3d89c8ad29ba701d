import { KafkaProtocolError } from '../../errors/base.js';
import { Reader } from '../codec/reader.js';
import { decodeControlRecord } from './control.js';
import type { KafkaRecord, RecordHeader } from './types.js';

/** The smallest a v2 record can be: length, attributes, timestamp, offset, key, value, header count. */
const MIN_RECORD_SIZE = 7;

export interface RecordsContext {
  baseOffset: number;
  baseTimestamp: number;
  /** For LogAppendTime batches: the time every record takes. */
  logAppendTime: number | undefined;
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
  const { baseOffset, baseTimestamp, logAppendTime, isControl } = ctx;
  for (let i = 0; i < count; i++) {
    const length = zigzag(r, buf, end);
    const recordStart = r.pos;
    if (length < 0 || recordStart + length > end) {
      throw new KafkaProtocolError(`record length ${length} overruns the batch`, recordStart);
    }
    // Reads stay within the batch; a record that strays past its own length is caught below.
    const rr = r;
    if (rr.pos >= end) rr.need(1);
    const attributes = (buf[rr.pos++]! << 24) >> 24;
    const timestampDelta = zigzagLong(rr, buf, end);
    const offsetDelta = zigzag(rr, buf, end);
    const keyLength = zigzag(rr, buf, end);
    if (keyLength < -1) throw new KafkaProtocolError(`invalid record key length ${keyLength}`, rr.pos);
    const key = keyLength === -1 ? null : rr.raw(keyLength);
    const valueLength = zigzag(rr, buf, end);
    if (valueLength < -1) throw new KafkaProtocolError(`invalid record value length ${valueLength}`, rr.pos);
    const value = valueLength === -1 ? null : rr.raw(valueLength);
    const headerCount = zigzag(rr, buf, end);
    if (headerCount < 0 || headerCount * 2 > rr.remaining) {
      throw new KafkaProtocolError(`header count ${headerCount} cannot fit in the record`, rr.pos);
    }
    const headers = new Array<RecordHeader>(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const hk = zigzag(rr, buf, end);
      if (hk < 0) throw new KafkaProtocolError(`invalid header key length ${hk}`, rr.pos);
      rr.need(hk);
      const hkey = buf.toString('utf8', rr.pos, rr.pos + hk);
      rr.pos += hk;
      const hv = zigzag(rr, buf, end);
      if (hv < -1) throw new KafkaProtocolError(`invalid header value length ${hv}`, rr.pos);
      headers[h] = { key: hkey, value: hv === -1 ? null : rr.raw(hv) };
    }
    if (rr.pos !== recordStart + length) {
      throw new KafkaProtocolError(
        `record declared ${length} bytes but holds ${rr.pos - recordStart}`,
        recordStart,
      );
    }
    const record: KafkaRecord = {
      offset: baseOffset + offsetDelta,
      offsetDelta,
      timestamp: logAppendTime ?? baseTimestamp + timestampDelta,
      attributes,
      key,
      value,
      headers,
    };
    if (isControl) record.control = decodeControlRecord(key, value);
    out[i] = record;
  }
  if (r.pos !== end) {
    throw new KafkaProtocolError(`${end - r.pos} bytes left over after the batch's ${count} records`, r.pos);
  }
  return out;
}
