/**
 * The result of one `send()`: KafkaJS returns one entry per topic-partition the call wrote to,
 * whose `baseOffset` is the offset of that call's first record there. A call's records can be
 * spread over several batches (and requests); a {@link DeliveryReport} collects the pieces and
 * settles once every piece is acknowledged, or at the first failure.
 */
/** What `send()` resolves to: one entry per partition the call wrote to (KafkaJS's shape). */
export interface RecordMetadata {
  /** Topic written to. */
  topicName: string;
  /** Partition written to. */
  partition: number;
  /** Kafka error code of the partition's answer: 0, since a failed partition rejects the send instead. */
  errorCode: number;
  /** Offset of the first record of this send in the partition; '-1' with acks 0. */
  baseOffset?: string;
  /** '-1' unless the topic uses LogAppendTime. */
  logAppendTime?: string;
  /** The partition's log start offset when the broker answered (decimal string). */
  logStartOffset?: string;
}

/**
 * Collects the acknowledgements of one send() whose records span several batches, and settles once all
 * are in.
 */
export class DeliveryReport {
  private pending = 0;
  private sealed = false;
  private settled = false;
  private readonly results = new Map<string, RecordMetadata & { first: bigint }>();
  /**
   * Resolves with one RecordMetadata per topic-partition once every batch of the send is acknowledged;
   * rejects when one of its batches fails.
   */
  readonly promise: Promise<RecordMetadata[]>;
  private resolveFn!: (value: RecordMetadata[]) => void;
  private rejectFn!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<RecordMetadata[]>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  /** Whether the send resolved or failed already. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** One more batch slice now carries records of this send. */
  expect(): void {
    this.pending++;
  }

  /** A slice was replaced by others (a split batch) that were counted with {@link expect}. */
  forget(): void {
    this.pending--;
  }

  /** No more slices will be added; settles now if all slices are already done. */
  seal(): void {
    this.sealed = true;
    this.maybeResolve();
  }

  /** A slice of this send was acknowledged at `firstOffset`; resolves the send when it was the last. */
  done(
    topic: string,
    partition: number,
    firstOffset: bigint,
    logAppendTime: bigint,
    logStartOffset: bigint,
  ): void {
    const key = `${topic}\u0000${partition}`;
    const existing = this.results.get(key);
    if (
      existing === undefined ||
      (firstOffset >= 0n && (existing.first < 0n || firstOffset < existing.first))
    ) {
      this.results.set(key, {
        topicName: topic,
        partition,
        errorCode: 0,
        baseOffset: firstOffset.toString(),
        logAppendTime: logAppendTime.toString(),
        logStartOffset: logStartOffset.toString(),
        first: firstOffset,
      });
    }
    this.pending--;
    this.maybeResolve();
  }

  /** A slice of this send failed for good: the whole send rejects with `error`. */
  fail(error: unknown): void {
    this.pending--;
    if (this.settled) return;
    this.settled = true;
    this.rejectFn(error);
  }

  private maybeResolve(): void {
    if (this.settled || !this.sealed || this.pending > 0) return;
    this.settled = true;
    const out: RecordMetadata[] = [];
    for (const { first: _first, ...meta } of this.results.values()) out.push(meta);
    this.resolveFn(out);
  }
}
