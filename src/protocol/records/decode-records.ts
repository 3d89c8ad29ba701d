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
    const length = r.varint();
    const recordStart = r.pos;
    if (length < 0 || recordStart + length > end) {
      throw new KafkaProtocolError(`record length ${length} overruns the batch`, recordStart);
    }
    // Reads stay within the batch; a record that strays past its own length is caught below.
    const rr = r;
    const attributes = rr.int8();
    const timestampDelta = rr.varlongNumber();
    const offsetDelta = rr.varint();
    const keyLength = rr.varint();
    if (keyLength < -1) throw new KafkaProtocolError(`invalid record key length ${keyLength}`, rr.pos);
    const key = keyLength === -1 ? null : rr.raw(keyLength);
    const valueLength = rr.varint();
    if (valueLength < -1) throw new KafkaProtocolError(`invalid record value length ${valueLength}`, rr.pos);
    const value = valueLength === -1 ? null : rr.raw(valueLength);
    const headerCount = rr.varint();
    if (headerCount < 0 || headerCount * 2 > rr.remaining) {
      throw new KafkaProtocolError(`header count ${headerCount} cannot fit in the record`, rr.pos);
    }
    const headers = new Array<RecordHeader>(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const hk = rr.varint();
      if (hk < 0) throw new KafkaProtocolError(`invalid header key length ${hk}`, rr.pos);
      rr.need(hk);
      const hkey = buf.toString('utf8', rr.pos, rr.pos + hk);
      rr.pos += hk;
      const hv = rr.varint();
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
