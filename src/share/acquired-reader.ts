/**
 * The acquired records of one partition from one ShareFetch, decoded a slice at a time. A
 * ShareFetch may hand over hundreds of records that decompress to far more than the answer's
 * size (a compressed batch of repeated bytes); decoding them all at once would hold them all.
 * The reader keeps the answer's (compressed) batches and decodes the next records only when the
 * consumer is ready for them, up to a budget of record bytes, so memory is bounded by the budget
 * plus the batch being read, whatever the compression ratio.
 */

import type { RecordBatch } from '../protocol/records/batch.js';
import { KafkaJSRecordBatchDecodeError } from '../protocol/records/errors.js';
import type { RecordCursor } from '../protocol/records/record-cursor.js';
import { AckType, type PartitionAcks } from './ack.js';
import { toShareMessage } from './message.js';
import type { ShareMessage } from './types.js';

/** An acquired offset range as the ShareFetch answer gives it, with its delivery count. */
export interface AcquiredRange {
  first: number;
  last: number;
  count: number;
}

/** One slice of decoded records, ready to hand to the application. */
export interface AcquiredSlice {
  messages: ShareMessage[];
  offsets: number[];
}

/** Where a batch that cannot be read is reported (its records are released). */
export type UnreadableBatch = (error: KafkaJSRecordBatchDecodeError) => void;

export class AcquiredReader {
  private readonly ranges: AcquiredRange[];
  private batchIndex = 0;
  private cursor: RecordCursor | undefined;
  private rangeIndex = 0;
  private readonly seen = new Set<number>();
  private finished = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly batches: readonly RecordBatch[],
    ranges: AcquiredRange[],
    private readonly acks: PartitionAcks,
    /** Date.now() at which the records' acquisition lock ends. */
    private readonly deadline: number,
    private readonly onUnreadable: UnreadableBatch,
  ) {
    this.ranges = [...ranges].sort((a, b) => a.first - b.first);
  }

  get done(): boolean {
    return this.finished;
  }

  /**
   * The next acquired records, at least one unless none are left, stopping once their keys and
   * values reach `budgetBytes` (a single record larger than the budget comes alone). Each record
   * is registered as acquired when decoded. After the last one, the acquired offsets that carried
   * no record (control records, compacted away) are acknowledged as gaps.
   */
  async next(budgetBytes: number): Promise<AcquiredSlice | undefined> {
    const messages: ShareMessage[] = [];
    const offsets: number[] = [];
    let bytes = 0;
    while (!this.finished && (messages.length === 0 || bytes < budgetBytes)) {
      const batch = this.batches[this.batchIndex];
      if (!batch) {
        this.finish();
        break;
      }
      if (batch.isControl) {
        this.batchIndex++;
        continue;
      }
      try {
        this.cursor ??= await batch.openRecords();
        const record = this.cursor.next();
        if (record === undefined) {
          this.nextBatch();
          continue;
        }
        const range = this.rangeOf(record.offset);
        if (!range) continue;
        this.seen.add(record.offset);
        this.acks.acquire(record.offset, this.deadline, range.count);
        messages.push(toShareMessage(record, range.count));
        offsets.push(record.offset);
        bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
      } catch (err) {
        this.unreadable(batch, err);
        this.nextBatch();
      }
    }
    return messages.length === 0 ? undefined : { messages, offsets };
  }

  /**
   * Gives up on what is left (the consumer is stopping, or the partition is gone): the records
   * not yet decoded are released so the broker hands them to another member at once.
   */
  releaseRest(now: number): void {
    if (this.finished) return;
    this.finished = true;
    this.cursor = undefined;
    for (const range of this.ranges) {
      for (let o = range.first; o <= range.last; o++) {
        if (this.seen.has(o)) continue;
        this.seen.add(o);
        this.acks.acquire(o, this.deadline, range.count);
        this.acks.acknowledge(o, AckType.RELEASE, now);
      }
    }
  }

  /** Drops what is left without acknowledging (the share session ended: the broker released it). */
  abandon(): void {
    this.finished = true;
    this.cursor = undefined;
  }

  private nextBatch(): void {
    this.cursor = undefined;
    this.batchIndex++;
  }

  /** The acquired range holding `offset`, or undefined when the record was not acquired (or seen). */
  private rangeOf(offset: number): AcquiredRange | undefined {
    const ranges = this.ranges;
    while (this.rangeIndex < ranges.length && ranges[this.rangeIndex]!.last < offset) this.rangeIndex++;
    const range = ranges[this.rangeIndex];
    if (!range || offset < range.first || this.seen.has(offset)) return undefined;
    return range;
  }

  private finish(): void {
    this.finished = true;
    this.cursor = undefined;
    for (const range of this.ranges) {
      for (let o = range.first; o <= range.last; o++) if (!this.seen.has(o)) this.acks.gap(o, this.deadline);
    }
  }

  /**
   * A batch whose records cannot be read (over the decompression limit, corrupt, unknown codec):
   * its acquired records that were not delivered are released, so the broker redelivers them up
   * to its delivery-count limit and then archives them, as it does for any record no consumer can
   * process. The consumer carries on with the other records.
   */
  private unreadable(batch: RecordBatch, cause: unknown): void {
    const baseOffset = Number(batch.baseOffset);
    const lastOffset = Number(batch.lastOffset());
    let first = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const range of this.ranges) {
      for (let o = Math.max(range.first, baseOffset); o <= Math.min(range.last, lastOffset); o++) {
        if (this.seen.has(o)) continue;
        this.seen.add(o);
        first = Math.min(first, o);
        this.acks.acquire(o, this.deadline, range.count);
        this.acks.acknowledge(o, AckType.RELEASE, now);
      }
    }
    this.onUnreadable(
      new KafkaJSRecordBatchDecodeError(
        {
          topic: this.topic,
          partition: this.partition,
          offset: Number.isFinite(first) ? first : baseOffset,
          baseOffset,
          lastOffset,
        },
        cause,
      ),
    );
  }
}
