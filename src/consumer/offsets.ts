import { KafkaJSInvalidArgument } from '../errors/network.js';
/**
 * Offsets a consumer has processed but not yet committed, and the auto-commit decision.
 *
 * Offsets are Numbers here: every offset a broker hands out fits one exactly (2^53), and the
 * KafkaJS surface carries them as strings, so bigint is only needed at the wire edge.
 */

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to consume, i.e. the last processed offset + 1 (Kafka's commit convention). */
  offset: number;
  leaderEpoch?: number;
  metadata?: string | null;
}

export interface AutoCommitPolicy {
  autoCommit: boolean;
  /** Commit when this many ms have passed since the last commit; null: not time based. */
  autoCommitInterval: number | null;
  /** Commit when this many offsets were resolved since the last commit; null: not count based. */
  autoCommitThreshold: number | null;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Parses an offset given as a string, number or bigint (KafkaJS passes strings). */
export function parseOffset(value: string | number | bigint, what = 'offset'): number {
  const n = typeof value === 'string' ? Number(value) : Number(value);
  if (!Number.isSafeInteger(n) || (typeof value === 'string' && !/^-?\d+$/.test(value.trim()))) {
    throw new KafkaJSInvalidArgument(
      what,
      `expected an integer (a string, number or bigint), got ${String(value)}`,
    );
  }
  return n;
}

export class OffsetTracker {
  /**
   * Per partition, the next offset to commit. Entries are this tracker's own and updated in place
   * by {@link resolveOffset} (once per record); {@link uncommitted} hands out copies.
   */
  private readonly resolved = new Map<string, TopicPartitionOffset>();
  private readonly committed = new Map<string, number>();
  private resolvedSinceCommit = 0;
  private lastCommitAt: number;
  // The key of the partition resolved last: a run of records of one partition builds no string.
  private lastTopic: string | undefined;
  private lastPartition = -1;
  private lastKey = '';

  constructor(
    private readonly policy: AutoCommitPolicy,
    now: number = Date.now(),
  ) {
    this.lastCommitAt = now;
  }

  /** Marks `offset` as processed: the next commit for the partition will be offset + 1. */
  resolveOffset(topic: string, partition: number, offset: number, leaderEpoch?: number): void {
    let k = this.lastKey;
    if (topic !== this.lastTopic || partition !== this.lastPartition) {
      k = keyOf(topic, partition);
      this.lastTopic = topic;
      this.lastPartition = partition;
      this.lastKey = k;
    }
    const prev = this.resolved.get(k);
    const next = offset + 1;
    if (prev === undefined) this.resolved.set(k, { topic, partition, offset: next, leaderEpoch });
    else {
      if (prev.offset >= next) return;
      prev.offset = next;
      prev.leaderEpoch = leaderEpoch;
    }
    this.resolvedSinceCommit++;
  }

  /** Sets the next offset to commit directly (a seek, or commitOffsets with explicit offsets). */
  setNextOffset(topic: string, partition: number, offset: number): void {
    this.resolved.set(keyOf(topic, partition), { topic, partition, offset });
  }

  /** What the broker has as committed (from OffsetFetch or our own successful commits). */
  setCommitted(topic: string, partition: number, offset: number): void {
    this.committed.set(keyOf(topic, partition), offset);
  }

  committedOffset(topic: string, partition: number): number | undefined {
    return this.committed.get(keyOf(topic, partition));
  }

  /** Resolved offsets that differ from what is committed. */
  uncommitted(): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    for (const [k, v] of this.resolved) if (this.committed.get(k) !== v.offset) out.push({ ...v });
    return out;
  }

  hasUncommitted(): boolean {
    for (const [k, v] of this.resolved) if (this.committed.get(k) !== v.offset) return true;
    return false;
  }

  /** Records a successful commit of `offsets`. */
  markCommitted(offsets: readonly TopicPartitionOffset[], now: number = Date.now()): void {
    for (const o of offsets) this.committed.set(keyOf(o.topic, o.partition), o.offset);
    this.resolvedSinceCommit = 0;
    this.lastCommitAt = now;
  }

  get autoCommit(): boolean {
    return this.policy.autoCommit;
  }

  /** True when neither an interval nor a threshold is set: commits follow every batch. */
  get commitsEveryBatch(): boolean {
    return this.policy.autoCommitInterval === null && this.policy.autoCommitThreshold === null;
  }

  countResolvedSinceCommit(): number {
    return this.resolvedSinceCommit;
  }

  /**
   * KafkaJS's rule: commit when the interval elapsed or the threshold was reached; with
   * neither configured, commit after every batch (the caller asks once per batch).
   */
  shouldAutoCommit(now: number = Date.now()): boolean {
    const { autoCommit, autoCommitInterval, autoCommitThreshold } = this.policy;
    if (!autoCommit) return false;
    // Cheap checks first: this runs after every record under an interval or a threshold.
    const due =
      (autoCommitInterval === null && autoCommitThreshold === null) ||
      (autoCommitInterval !== null && now - this.lastCommitAt >= autoCommitInterval) ||
      (autoCommitThreshold !== null && this.resolvedSinceCommit >= autoCommitThreshold);
    return due && this.hasUncommitted();
  }

  /** Forgets partitions this member no longer owns (after a commit attempt on revocation). */
  forget(partitions: ReadonlyArray<{ topic: string; partition: number }>): void {
    for (const p of partitions) {
      const k = keyOf(p.topic, p.partition);
      this.resolved.delete(k);
      this.committed.delete(k);
    }
  }

  clear(): void {
    this.resolved.clear();
    this.committed.clear();
    this.resolvedSinceCommit = 0;
  }
}
