import { ControlRecordTypes } from '../protocol/records/control.js';
import { KafkaJSRecordBatchDecodeError } from '../protocol/records/errors.js';
import type { RecordBatch } from '../protocol/records/index.js';
import type { RecordCursor } from '../protocol/records/record-cursor.js';
import type { KafkaRecord } from '../protocol/records/types.js';

export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface FilteredRecords {
  /** Records to hand to the application, in offset order, none below the fetch offset. */
  records: KafkaRecord[];
  /** Where the next fetch starts: past every complete batch seen, delivered or not. */
  nextOffset: number;
  /** Batches read (including skipped control and aborted ones). */
  batchCount: number;
  /** With `decode: false`: the data batches to deliver, not decoded yet (`records` stays empty). */
  deliverable?: RecordBatch[];
}

/**
 * Turns the batches of one partition's fetch response into the records a consumer delivers.
 *
 * - Control batches (transaction markers) are never delivered, but move the position past them.
 * - Under read_committed, a transactional batch is dropped when its producer's transaction was
 *   aborted: the broker lists aborted transactions (producer id, first offset) that overlap the
 *   returned range; a producer enters the aborted set when one of its aborted transactions
 *   starts at or before the batch's last offset, and leaves it at its ABORT marker.
 * - A compressed batch may begin before the fetch offset; earlier records are dropped.
 *
 * With `decode: false` the data batches are returned undecoded (`deliverable`) for
 * {@link recordsOf} to decode later; only control batches are read here.
 */
export async function filterRecords(
  batches: readonly RecordBatch[],
  fetchOffset: number,
  isolationLevel: IsolationLevel,
  abortedTransactions: readonly AbortedTransaction[] | null,
  decode = true,
): Promise<FilteredRecords> {
  const records: KafkaRecord[] = [];
  const deliverable: RecordBatch[] | undefined = decode ? undefined : [];
  let nextOffset = fetchOffset;
  const pending =
    isolationLevel === 'read_committed' && abortedTransactions !== null
      ? [...abortedTransactions].sort((a, b) =>
          a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
        )
      : [];
  const abortedProducers = new Set<bigint>();
  for (const batch of batches) {
    const last = Number(batch.lastOffset());
    if (last < fetchOffset) continue;
    nextOffset = Math.max(nextOffset, last + 1);
    if (isolationLevel === 'read_committed' && batch.isTransactional) {
      while (pending.length > 0 && pending[0]!.firstOffset <= batch.lastOffset()) {
        abortedProducers.add(pending.shift()!.producerId);
      }
    }
    if (batch.isControl) {
      if (isolationLevel === 'read_committed' && abortedProducers.has(batch.producerId)) {
        const recs = await batch.records();
        if (recs.some((r) => r.control?.type === ControlRecordTypes.ABORT))
          abortedProducers.delete(batch.producerId);
      }
      continue;
    }
    if (
      isolationLevel === 'read_committed' &&
      batch.isTransactional &&
      abortedProducers.has(batch.producerId)
    ) {
      continue;
    }
    if (deliverable) deliverable.push(batch);
    else {
      const recs = await batch.records();
      for (const r of recs) if (r.offset >= fetchOffset) records.push(r);
    }
  }
  return { records, nextOffset, batchCount: batches.length, deliverable };
}

/**
 * The records of the batches {@link filterRecords} kept undecoded (`decode: false`), none below
 * `fetchOffset`. The fetcher keeps the batches as fetched bytes until the application takes them,
 * so records are made when they are about to be delivered and die young.
 */
export async function recordsOf(
  batches: readonly RecordBatch[],
  fetchOffset: number,
): Promise<KafkaRecord[]> {
  if (batches.length === 1) {
    const recs = await batches[0]!.records();
    return recs.length > 0 && recs[0]!.offset >= fetchOffset
      ? recs
      : recs.filter((r) => r.offset >= fetchOffset);
  }
  const out: KafkaRecord[] = [];
  for (const b of batches) {
    const recs = await b.records();
    for (const r of recs) if (r.offset >= fetchOffset) out.push(r);
  }
  return out;
}

/**
 * The undecoded batches of one partition's fetch, handed out in pieces of bounded size: records
 * are decoded (and compressed batches decompressed, incrementally) only when the application is
 * about to get them, and {@link take} stops once a piece holds `budget` bytes of record data, so
 * what is decompressed at a time is bounded by the budget (or by one record, when a single
 * record is larger), whatever the compression ratio.
 */
export class PendingRecords {
  private index = 0;
  private cursor: RecordCursor | undefined;
  private failure: KafkaJSRecordBatchDecodeError | undefined;
  /** The first offset not handed out yet. */
  nextOffset: number;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly batches: readonly RecordBatch[],
    private readonly fetchOffset: number,
  ) {
    this.nextOffset = fetchOffset;
  }

  /** True when every record has been handed out. */
  get done(): boolean {
    return this.index >= this.batches.length && this.failure === undefined;
  }

  /**
   * The next records, stopping once they hold `budget` bytes (at least one record when any is
   * left). A batch that cannot be read throws {@link KafkaJSRecordBatchDecodeError}, after the
   * records before it have been handed out, and again on every later call.
   */
  async take(budget: number): Promise<{ records: KafkaRecord[]; bytes: number }> {
    const records: KafkaRecord[] = [];
    let bytes = 0;
    while (this.failure === undefined && this.index < this.batches.length) {
      const batch = this.batches[this.index]!;
      try {
        this.cursor ??= await batch.openRecords();
        const before = this.cursor.bytesRead;
        const r = this.cursor.next();
        if (r === undefined) {
          this.cursor = undefined;
          this.index++;
          continue;
        }
        if (r.offset < this.fetchOffset) continue;
        records.push(r);
        this.nextOffset = r.offset + 1;
        bytes += this.cursor.bytesRead - before;
        if (bytes >= budget) {
          // The batch's last record: close it now, so that `done` is true without another call.
          if (r.offset >= Number(batch.lastOffset())) {
            const extra = this.cursor.next();
            if (extra === undefined) {
              this.cursor = undefined;
              this.index++;
            } else if (extra.offset >= this.fetchOffset) {
              // More records than the header's last offset says: malformed, but not dropped.
              records.push(extra);
              this.nextOffset = extra.offset + 1;
            }
          }
          break;
        }
      } catch (err) {
        this.cursor = undefined;
        const baseOffset = Number(batch.baseOffset);
        this.failure = new KafkaJSRecordBatchDecodeError(
          {
            topic: this.topic,
            partition: this.partition,
            // A legacy compressed wrapper's base offset is its last record's: stay where delivery stopped.
            offset: batch.magic >= 2 ? Math.max(this.nextOffset, baseOffset) : this.nextOffset,
            baseOffset,
            lastOffset: Number(batch.lastOffset()),
          },
          err,
        );
      }
    }
    if (records.length === 0 && this.failure !== undefined) throw this.failure;
    return { records, bytes };
  }
}
