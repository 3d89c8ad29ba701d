import { KafkaProtocolError } from '../../errors/base.js';
import { Reader } from '../codec/reader.js';
import type { DecompressionReader } from '../compression/stream.js';
import { decodeRecordBody, type RecordsContext, readRecordLength } from './decode-records.js';
import type { KafkaRecord } from './types.js';

/** The longest a record length prefix (a zigzag varint of an int32) can be. */
const MAX_LENGTH_PREFIX = 5;

/** A batch's records, read one at a time. */
export interface RecordCursor {
  /** The next record, or undefined after the batch's last one (the batch is then checked complete). */
  next(): KafkaRecord | undefined;
  /** Bytes of record data read so far: for a compressed batch, decompressed bytes. */
  readonly bytesRead: number;
}

/** A cursor over records decoded already. */
export class ArrayRecordCursor implements RecordCursor {
  private i = 0;
  bytesRead = 0;

  constructor(private readonly records: readonly KafkaRecord[]) {}

  next(): KafkaRecord | undefined {
    const r = this.records[this.i++];
    if (r !== undefined) this.bytesRead += (r.key?.length ?? 0) + (r.value?.length ?? 0);
    return r;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Decodes a v2 batch's records section as it comes out of a {@link DecompressionReader}: a
 * record is decoded from a window that holds it and what the last decompressed piece had after
 * it, so memory is bounded by the largest record plus one piece, not by the batch. Keys and
 * values are views of the window.
 */
export class StreamRecordCursor implements RecordCursor {
  private buf: Buffer = EMPTY;
  private end = 0;
  private r = new Reader(EMPTY, 0, 0);
  private index = 0;
  private finished = false;
  bytesRead = 0;

  constructor(
    private readonly source: DecompressionReader,
    private readonly count: number,
    private readonly ctx: RecordsContext,
  ) {}

  /** Makes `n` bytes available at the read position; false when the input ends first. */
  private fill(n: number): boolean {
    let have = this.end - this.r.pos;
    if (have >= n) return true;
    const parts = have > 0 ? [this.buf.subarray(this.r.pos, this.end)] : [];
    const before = parts.length;
    while (have < n) {
      const piece = this.source.read();
      if (piece === null) break;
      parts.push(piece);
      have += piece.length;
    }
    if (parts.length > before) {
      this.buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
      this.end = this.buf.length;
      this.r = new Reader(this.buf, 0, this.end);
    }
    return have >= n;
  }

  next(): KafkaRecord | undefined {
    if (this.index >= this.count) {
      this.finish();
      return undefined;
    }
    this.fill(MAX_LENGTH_PREFIX);
    const r = this.r;
    const start = r.pos;
    if (start >= this.end) {
      throw new KafkaProtocolError(
        `the batch's records end after ${this.index} of ${this.count} records (truncated data)`,
        undefined,
        { retriable: false },
      );
    }
    const length = readRecordLength(r, this.buf, this.end);
    const prefix = r.pos - start;
    if (length < 0 || !this.fill(length)) {
      throw new KafkaProtocolError(
        `record length ${length} overruns the batch's records (record ${this.index} of ${this.count})`,
        undefined,
        { retriable: false },
      );
    }
    // fill() may have moved the bytes to a new window.
    const rr = this.r;
    const recordStart = rr.pos;
    const record = decodeRecordBody(rr, this.buf, recordStart + length, recordStart, length, this.ctx);
    this.bytesRead += prefix + length;
    this.index++;
    return record;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    let left = this.end - this.r.pos;
    // Reading to the end also lets the codec check that its stream is complete.
    for (let piece = this.source.read(); piece !== null; piece = this.source.read()) left += piece.length;
    if (left > 0) {
      throw new KafkaProtocolError(
        `${left} bytes left over after the batch's ${this.count} records`,
        undefined,
        {
          retriable: false,
        },
      );
    }
    this.buf = EMPTY;
    this.r = new Reader(EMPTY, 0, 0);
    this.end = 0;
  }
}

/** Every record a cursor has left. */
export function drainCursor(cursor: RecordCursor): KafkaRecord[] {
  const out: KafkaRecord[] = [];
  for (let rec = cursor.next(); rec !== undefined; rec = cursor.next()) out.push(rec);
  return out;
}
