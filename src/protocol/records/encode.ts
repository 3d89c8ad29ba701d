import { KafkaJSError } from '../../errors/base.js';
import { compressRecords } from '../compression/registry.js';
import { CompressionTypes, isCompressionType } from '../compression/types.js';
import { crc32c } from './crc.js';
import { writeInt64, writeInt64Number } from './int64.js';
import {
  ATTR_CONTROL,
  ATTR_TIMESTAMP_TYPE,
  ATTR_TRANSACTIONAL,
  BATCH_HEADER_SIZE,
  LOG_OVERHEAD,
  MAGIC_V2,
  BATCH_OFFSETS as O,
  type RecordBatchInput,
  type RecordInput,
} from './types.js';
import { sizeOfVarint, writeVarint } from './varint.js';

/** What the sizing pass learns, reused by the writing pass. */
interface Plan {
  /** Size of each record's body (after its length varint). */
  bodySizes: number[];
  recordsSize: number;
  baseTimestamp: number;
  maxTimestamp: number;
  lastOffsetDelta: number;
}

function bad(message: string): KafkaJSError {
  return new KafkaJSError(message, { retriable: false });
}

function plan(records: readonly RecordInput[]): Plan {
  const count = records.length;
  if (count === 0) throw bad('a record batch needs at least one record');
  const bodySizes = new Array<number>(count);
  const baseTimestamp = records[0]!.timestamp;
  let maxTimestamp = baseTimestamp;
  let lastOffsetDelta = 0;
  let recordsSize = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i]!;
    const ts = r.timestamp;
    if (!Number.isSafeInteger(ts))
      throw bad(`record ${i}: timestamp must be an integer of milliseconds, got ${ts}`);
    if (ts > maxTimestamp) maxTimestamp = ts;
    const offsetDelta = r.offsetDelta ?? i;
    if (!Number.isInteger(offsetDelta) || offsetDelta < 0 || offsetDelta > 0x7fffffff) {
      throw bad(`record ${i}: offsetDelta must be a non-negative int32, got ${offsetDelta}`);
    }
    if (offsetDelta > lastOffsetDelta) lastOffsetDelta = offsetDelta;
    const size = recordBodySize(r, ts - baseTimestamp, offsetDelta);
    bodySizes[i] = size;
    recordsSize += sizeOfVarint(size) + size;
  }
  return { bodySizes, recordsSize, baseTimestamp, maxTimestamp, lastOffsetDelta };
}

/**
 * Writes one record at `pos`, its length prefix first; `bodySize` is its size after that prefix
 * (see {@link recordBodySize}). Returns the position after it.
 */
export function writeRecord(
  buf: Buffer,
  pos: number,
  r: RecordInput,
  timestampDelta: number,
  offsetDelta: number,
  bodySize: number,
): number {
  pos = writeVarint(buf, pos, bodySize);
  buf[pos++] = 0; // record attributes: unused
  pos = writeVarint(buf, pos, timestampDelta);
  pos = writeVarint(buf, pos, offsetDelta);
  const key = r.key ?? null;
  if (key === null)
    buf[pos++] = 1; // zigzag(-1)
  else {
    pos = writeVarint(buf, pos, key.length);
    buf.set(key, pos);
    pos += key.length;
  }
  const value = r.value;
  if (value === null) buf[pos++] = 1;
  else {
    pos = writeVarint(buf, pos, value.length);
    buf.set(value, pos);
    pos += value.length;
  }
  const headers = r.headers;
  const headerCount = headers === undefined ? 0 : headers.length;
  pos = writeVarint(buf, pos, headerCount);
  for (let h = 0; h < headerCount; h++) {
    const header = headers![h]!;
    const kl = Buffer.byteLength(header.key, 'utf8');
    pos = writeVarint(buf, pos, kl);
    pos += buf.write(header.key, pos, kl, 'utf8');
    const hv = header.value;
    if (hv === null || hv === undefined) buf[pos++] = 1;
    else {
      pos = writeVarint(buf, pos, hv.length);
      buf.set(hv, pos);
      pos += hv.length;
    }
  }
  return pos;
}

/** Size of a record after its length prefix, at the given deltas. */
export function recordBodySize(r: RecordInput, timestampDelta: number, offsetDelta: number): number {
  let size = 1 + sizeOfVarint(timestampDelta) + sizeOfVarint(offsetDelta);
  const key = r.key ?? null;
  size += key === null ? 1 : sizeOfVarint(key.length) + key.length;
  const value = r.value;
  size += value === null ? 1 : sizeOfVarint(value.length) + value.length;
  const headers = r.headers;
  const count = headers === undefined ? 0 : headers.length;
  size += sizeOfVarint(count);
  for (let i = 0; i < count; i++) {
    const h = headers![i]!;
    const kl = Buffer.byteLength(h.key, 'utf8');
    size += sizeOfVarint(kl) + kl;
    size += h.value === null || h.value === undefined ? 1 : sizeOfVarint(h.value.length) + h.value.length;
  }
  return size;
}

function writeRecords(buf: Buffer, pos: number, records: readonly RecordInput[], p: Plan): number {
  const { bodySizes, baseTimestamp } = p;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    pos = writeRecord(buf, pos, r, r.timestamp - baseTimestamp, r.offsetDelta ?? i, bodySizes[i]!);
  }
  return pos;
}

function attributesOf(input: RecordBatchInput): number {
  const compression = input.compression ?? CompressionTypes.None;
  if (!isCompressionType(compression))
    throw bad(`unknown compression type ${compression}; use CompressionTypes`);
  let attributes = compression;
  if (input.timestampType === 'LogAppendTime') attributes |= ATTR_TIMESTAMP_TYPE;
  if (input.transactional) attributes |= ATTR_TRANSACTIONAL;
  if (input.control) attributes |= ATTR_CONTROL;
  return attributes;
}

function checkInt(v: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < min || v > max)
    throw bad(`${what} must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

/** Fills in the 61-byte header (records already in place after it) and the CRC. */
function writeHeader(buf: Buffer, input: RecordBatchInput, attributes: number, p: Plan, count: number): void {
  writeInt64(buf, O.baseOffset, input.baseOffset ?? 0, 'baseOffset');
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, O.batchLength);
  buf.writeInt32BE(
    checkInt(input.partitionLeaderEpoch ?? -1, -0x80000000, 0x7fffffff, 'partitionLeaderEpoch'),
    O.partitionLeaderEpoch,
  );
  buf[O.magic] = MAGIC_V2;
  buf.writeInt16BE(attributes, O.attributes);
  buf.writeInt32BE(p.lastOffsetDelta, O.lastOffsetDelta);
  writeInt64Number(buf, O.baseTimestamp, p.baseTimestamp);
  const maxTimestamp = input.maxTimestamp ?? p.maxTimestamp;
  if (!Number.isSafeInteger(maxTimestamp)) throw bad(`maxTimestamp must be an integer, got ${maxTimestamp}`);
  writeInt64Number(buf, O.maxTimestamp, maxTimestamp);
  writeInt64(buf, O.producerId, input.producerId ?? -1, 'producerId');
  buf.writeInt16BE(checkInt(input.producerEpoch ?? -1, -0x8000, 0x7fff, 'producerEpoch'), O.producerEpoch);
  buf.writeInt32BE(
    checkInt(input.baseSequence ?? -1, -0x80000000, 0x7fffffff, 'baseSequence'),
    O.baseSequence,
  );
  buf.writeInt32BE(count, O.recordCount);
  buf.writeUInt32BE(crc32c(buf, O.attributes), O.crc);
}

/** Where an encoded batch's bytes go by default: `size` fresh bytes, their contents to be overwritten. */
const allocUnsafe = (size: number): Buffer => Buffer.allocUnsafe(size);

/**
 * Encodes an uncompressed v2 record batch synchronously: one sizing pass, one allocation (from
 * `allocate`, e.g. reused memory), one writing pass. Throws for a compressed batch (use
 * {@link encodeRecordBatch}).
 */
export function encodeRecordBatchSync(
  input: RecordBatchInput,
  allocate: (size: number) => Buffer = allocUnsafe,
): Buffer {
  const attributes = attributesOf(input);
  if ((attributes & 0x07) !== CompressionTypes.None) {
    throw bad(
      'encodeRecordBatchSync writes uncompressed batches only; use encodeRecordBatch for compression',
    );
  }
  const p = plan(input.records);
  const buf = allocate(BATCH_HEADER_SIZE + p.recordsSize);
  const end = writeRecords(buf, BATCH_HEADER_SIZE, input.records, p);
  if (end !== buf.length)
    throw new KafkaJSError(`record batch size mismatch: planned ${buf.length}, wrote ${end}`, {
      retriable: false,
    });
  writeHeader(buf, input, attributes, p, input.records.length);
  return buf;
}

/**
 * Encodes a v2 record batch, compressing the records section with the batch's codec.
 * `allocate` gives the memory of an uncompressed batch (see {@link encodeRecordBatchSync}).
 */
export async function encodeRecordBatch(input: RecordBatchInput, allocate = allocUnsafe): Promise<Buffer> {
  const attributes = attributesOf(input);
  const compression = attributes & 0x07;
  if (compression === CompressionTypes.None) return encodeRecordBatchSync(input, allocate);
  const p = plan(input.records);
  const raw = Buffer.allocUnsafe(p.recordsSize);
  const end = writeRecords(raw, 0, input.records, p);
  if (end !== raw.length)
    throw new KafkaJSError(`record batch size mismatch: planned ${raw.length}, wrote ${end}`, {
      retriable: false,
    });
  const compressed = await compressRecords(compression, raw);
  const buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length);
  compressed.copy(buf, BATCH_HEADER_SIZE);
  writeHeader(buf, input, attributes, p, input.records.length);
  return buf;
}

/** What a batch whose records were written as they came needs for its header. */
export interface SealInput extends Omit<RecordBatchInput, 'records' | 'maxTimestamp'> {
  /** Records written after the header room. */
  count: number;
  baseTimestamp: number;
  maxTimestamp: number;
}

/**
 * Completes a batch whose records were written one by one (with {@link writeRecord}) after
 * BATCH_HEADER_SIZE bytes of room at the start of `buf`: uncompressed, the header and CRC are
 * written into that room and `buf` is the batch; compressed, the records are compressed into a
 * new buffer after a new header. `buf` is not kept.
 */
export async function sealRecordBatch(buf: Buffer, input: SealInput): Promise<Buffer> {
  const attributes = attributesOf({ ...input, records: [] });
  const p: Plan = {
    bodySizes: [],
    recordsSize: buf.length - BATCH_HEADER_SIZE,
    baseTimestamp: input.baseTimestamp,
    maxTimestamp: input.maxTimestamp,
    lastOffsetDelta: input.count - 1,
  };
  const header = { ...input, records: [] };
  if ((attributes & 0x07) === CompressionTypes.None) {
    writeHeader(buf, header, attributes, p, input.count);
    return buf;
  }
  const compressed = await compressRecords(attributes & 0x07, buf.subarray(BATCH_HEADER_SIZE));
  const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length);
  compressed.copy(out, BATCH_HEADER_SIZE);
  writeHeader(out, header, attributes, p, input.count);
  return out;
}
