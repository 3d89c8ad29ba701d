import { decodeRecords } from '../protocol/records/decode-records.js';
import { recordBodySize, writeRecord } from '../protocol/records/encode.js';
import { BATCH_HEADER_SIZE, type RecordInput } from '../protocol/records/types.js';
import { sizeOfVarint } from '../protocol/records/varint.js';
import type { DeliveryReport } from './delivery.js';
import { nextSequence } from './idempotence.js';
import type { Acks } from './options.js';

/** Encoded size of one record in a v2 batch (its length prefix included). */
export function recordSize(record: RecordInput, timestampDelta: number, offsetDelta: number): number {
  const size = recordBodySize(record, timestampDelta, offsetDelta);
  return sizeOfVarint(size) + size;
}

const allocUnsafe = (size: number): Buffer => Buffer.allocUnsafe(size);

/** Upper bound of a record's size in any batch, for limits checked before a batch is chosen. */
export function recordSizeUpperBound(record: RecordInput): number {
  return recordSize(record, 0, 0) + 14; // timestamp delta up to 10 bytes, offset delta up to 5
}

export interface BatchSettings {
  compression: number;
  acks: Acks;
  /** Broker-side replication timeout carried by the Produce request. */
  timeout: number;
}

/** One slice of a send()'s records inside a batch: its report and the offset delta of its first record. */
interface Slice {
  report: DeliveryReport;
  offsetDelta: number;
}

/**
 * Records for one partition that travel together as one v2 record batch. Sequence numbers and
 * the producer epoch are stamped when the sender first drains it, and kept for every retry so
 * that the broker can drop a duplicate.
 *
 * Each record is encoded into the batch's buffer as it is appended (after room for the 61-byte
 * header, written when the batch is sent), as the Java client does: the caller's message and
 * its buffers are not held until the batch is drained, so they die young instead of being
 * copied by every scavenge while the batch lingers and travels.
 */
export class ProducerBatch {
  /** Header room, then the records encoded so far; allocated with the first record. */
  private buf: Buffer | undefined;
  private count = 0;
  private readonly slices: Slice[] = [];
  /** Encoded uncompressed size, header included. */
  sizeBytes = BATCH_HEADER_SIZE;
  /** Buffer memory reserved for this batch's records, released when it completes. */
  reservedBytes = 0;
  baseTimestamp = 0;
  maxTimestamp = 0;
  /** No more appends: the batch is full, its settings differ from the next record's, or it was drained. */
  closed = false;
  attempts = 0;
  /** Not before this time (retry backoff). */
  retryAt = 0;
  baseSequence = -1;
  producerId = -1n;
  producerEpoch = -1;
  transactional = false;
  /** Encoded bytes for the current sequence/epoch stamp; dropped when either changes. */
  encoded: Buffer | undefined;
  lastError: unknown;
  done = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly settings: BatchSettings,
    readonly createdAt: number,
  ) {}

  get recordCount(): number {
    return this.count;
  }

  /** The batch as encoded so far: header room (not yet written), then the records. */
  get recordBytes(): Buffer {
    return this.buf === undefined ? Buffer.alloc(BATCH_HEADER_SIZE) : this.buf.subarray(0, this.sizeBytes);
  }

  /** Hands back the batch's buffer (for reuse by whoever allocated it); the batch keeps none. */
  takeBuffer(): Buffer | undefined {
    const buf = this.buf;
    this.buf = undefined;
    return buf;
  }

  /** The records again, decoded from the batch's bytes (keys and values are views of them). */
  private decodeRecords(): RecordInput[] {
    if (this.buf === undefined) return [];
    return decodeRecords(this.buf, BATCH_HEADER_SIZE, this.sizeBytes, this.count, {
      baseOffset: 0,
      baseTimestamp: this.baseTimestamp,
      logAppendTime: undefined,
      isControl: false,
    }).map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }));
  }

  /**
   * Appends if the record fits within `batchSize` (an empty batch takes any record) and the
   * settings match; returns false otherwise. `reserved` is the buffer memory taken for it;
   * `allocate` gives the batch's buffer with the first record (`batchSize` bytes, or the first
   * record's size when larger).
   */
  tryAppend(
    record: RecordInput,
    report: DeliveryReport,
    settings: BatchSettings,
    batchSize: number,
    reserved: number,
    allocate: (size: number) => Buffer = allocUnsafe,
  ): boolean {
    if (this.closed) return false;
    const s = this.settings;
    if (
      s.compression !== settings.compression ||
      s.acks !== settings.acks ||
      s.timeout !== settings.timeout
    ) {
      return false;
    }
    const offsetDelta = this.count;
    const timestamp = record.timestamp;
    if (offsetDelta === 0) {
      this.baseTimestamp = timestamp;
      this.maxTimestamp = timestamp;
    }
    const timestampDelta = timestamp - this.baseTimestamp;
    const body = recordBodySize(record, timestampDelta, offsetDelta);
    const size = sizeOfVarint(body) + body;
    if (offsetDelta > 0 && this.sizeBytes + size > batchSize) return false;
    let buf = this.buf;
    if (buf === undefined || this.sizeBytes + size > buf.length) {
      const grown = allocate(Math.max(batchSize, this.sizeBytes + size));
      if (buf !== undefined) buf.copy(grown, 0, 0, this.sizeBytes);
      buf = grown;
      this.buf = grown;
    }
    writeRecord(buf, this.sizeBytes, record, timestampDelta, offsetDelta, body);
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    this.count++;
    this.sizeBytes += size;
    this.reservedBytes += reserved;
    const last = this.slices[this.slices.length - 1];
    if (last === undefined || last.report !== report) {
      this.slices.push({ report, offsetDelta });
      report.expect();
    }
    return true;
  }

  /** The broker wrote the batch at `baseOffset`; tells every send() that had records in it. */
  succeed(baseOffset: bigint, logAppendTime: bigint, logStartOffset: bigint): void {
    if (this.done) return;
    this.done = true;
    for (const slice of this.slices) {
      const first = baseOffset < 0n ? baseOffset : baseOffset + BigInt(slice.offsetDelta);
      slice.report.done(this.topic, this.partition, first, logAppendTime, logStartOffset);
    }
  }

  /**
   * The broker refused the batch as too large (MESSAGE_TOO_LARGE): its records go into new
   * batches of at most `targetBytes` each (one record at least), in order, which take over this
   * batch's sends, reserved memory, creation time and, when it had one, its sequence range (the
   * broker never accepted it, so the range is unused and later batches keep their numbers).
   * This batch is left done without telling anyone.
   */
  split(targetBytes: number): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    let current: ProducerBatch | undefined;
    let slice = 0;
    const records = this.decodeRecords();
    for (let i = 0; i < records.length; i++) {
      while (slice + 1 < this.slices.length && this.slices[slice + 1]!.offsetDelta <= i) slice++;
      const report = this.slices[slice]!.report;
      const record = records[i]!;
      if (current === undefined || !current.tryAppend(record, report, this.settings, targetBytes, 0)) {
        current = new ProducerBatch(this.topic, this.partition, this.settings, this.createdAt);
        current.tryAppend(record, report, this.settings, targetBytes, 0);
        out.push(current);
      }
    }
    // Every child slice was counted again by tryAppend; the original slices no longer exist.
    for (const s of this.slices) s.report.forget();
    let reserved = this.reservedBytes;
    let sequence = this.baseSequence;
    for (let i = 0; i < out.length; i++) {
      const child = out[i]!;
      child.reservedBytes =
        i === out.length - 1
          ? reserved
          : Math.floor((this.reservedBytes * child.recordCount) / this.recordCount);
      reserved -= child.reservedBytes;
      child.closed = true;
      child.attempts = this.attempts + 1;
      child.lastError = this.lastError;
      child.transactional = this.transactional;
      if (sequence >= 0) {
        child.producerId = this.producerId;
        child.producerEpoch = this.producerEpoch;
        child.baseSequence = sequence;
        sequence = nextSequence(sequence, child.recordCount);
      }
    }
    this.done = true;
    return out;
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    for (const slice of this.slices) slice.report.fail(error);
  }
}
