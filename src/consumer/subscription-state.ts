/**
 * What this consumer is assigned and where it reads each partition: the fetch position, the
 * leader epoch it was read under, pause flags and pending offset resets. Pure bookkeeping —
 * the fetcher and the group read and update it, nothing here does I/O.
 */

export type ResetPolicy = 'earliest' | 'latest' | 'none';

/** A topic and one of its partitions. */
export interface TopicPartition {
  /** Topic name. */
  topic: string;
  /** Partition index, from 0. */
  partition: number;
}

export class PartitionState {
  /** Next offset to fetch; null until it is known (from a committed offset or a reset). */
  position: number | null = null;
  /** Leader epoch of the record at position - 1, or -1 when unknown (then nothing is validated). */
  leaderEpoch = -1;
  /**
   * The partition leader epoch under which the position was last confirmed (a fetch answered
   * under it, or OffsetForLeaderEpoch); a newer leader epoch means the position is validated
   * before the next fetch (KIP-320, see position-validation.ts).
   */
  validatedEpoch = -1;
  /** A reset the fetcher must perform (ListOffsets) before fetching. */
  pendingReset: ResetPolicy | null = null;
  highWatermark = -1;
  lastStableOffset = -1;
  logStartOffset = -1;
  /** Bumped on every seek/reset so a fetch response for an older position is discarded. */
  epoch = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Moves the position; the record history behind it is unknown until the caller says (`leaderEpoch`). */
  seek(offset: number): void {
    this.position = offset;
    this.pendingReset = null;
    this.leaderEpoch = -1;
    this.epoch++;
  }

  requestReset(policy: ResetPolicy): void {
    this.position = null;
    this.pendingReset = policy;
    this.leaderEpoch = -1;
    this.epoch++;
  }
}

export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class SubscriptionState {
  private readonly partitions = new Map<string, PartitionState>();
  /** The same states by topic, then partition: `get` is on the per-record path and builds no key. */
  private readonly byTopic = new Map<string, Map<number, PartitionState>>();
  private readonly pausedTopics = new Set<string>();
  private readonly pausedPartitions = new Set<string>();

  /** The partitions assigned now, in assignment order. */
  assigned(): PartitionState[] {
    return [...this.partitions.values()];
  }

  get(topic: string, partition: number): PartitionState | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  isAssigned(topic: string, partition: number): boolean {
    return this.partitions.has(tpKey(topic, partition));
  }

  /** Adds partitions (positions unknown until set); already assigned ones are left as they are. */
  add(list: readonly TopicPartition[]): PartitionState[] {
    const added: PartitionState[] = [];
    for (const { topic, partition } of list) {
      const k = tpKey(topic, partition);
      if (this.partitions.has(k)) continue;
      const s = new PartitionState(topic, partition);
      this.partitions.set(k, s);
      let t = this.byTopic.get(topic);
      if (!t) {
        t = new Map();
        this.byTopic.set(topic, t);
      }
      t.set(partition, s);
      added.push(s);
    }
    return added;
  }

  remove(list: readonly TopicPartition[]): void {
    for (const { topic, partition } of list) {
      const k = tpKey(topic, partition);
      this.partitions.delete(k);
      this.pausedPartitions.delete(k);
      const t = this.byTopic.get(topic);
      if (t?.delete(partition) && t.size === 0) this.byTopic.delete(topic);
    }
  }

  /** Replaces the whole assignment; returns what was added and what was removed. */
  replace(list: readonly TopicPartition[]): { added: TopicPartition[]; removed: TopicPartition[] } {
    const next = new Set(list.map((p) => tpKey(p.topic, p.partition)));
    const removed = this.assigned()
      .filter((s) => !next.has(tpKey(s.topic, s.partition)))
      .map(({ topic, partition }) => ({ topic, partition }));
    this.remove(removed);
    const added = this.add(list).map(({ topic, partition }) => ({ topic, partition }));
    return { added, removed };
  }

  clear(): void {
    this.partitions.clear();
    this.byTopic.clear();
    this.pausedPartitions.clear();
  }

  /** KafkaJS pause: a topic without partitions pauses the whole topic, now and for later assignments. */
  pause(list: ReadonlyArray<{ topic: string; partitions?: number[] }>): void {
    for (const { topic, partitions } of list) {
      if (partitions === undefined) this.pausedTopics.add(topic);
      else for (const p of partitions) this.pausedPartitions.add(tpKey(topic, p));
    }
  }

  resume(list: ReadonlyArray<{ topic: string; partitions?: number[] }>): void {
    for (const { topic, partitions } of list) {
      if (partitions === undefined) {
        this.pausedTopics.delete(topic);
        for (const k of [...this.pausedPartitions])
          if (k.startsWith(`${topic}\u0000`)) this.pausedPartitions.delete(k);
      } else {
        for (const p of partitions) this.pausedPartitions.delete(tpKey(topic, p));
        // Resuming single partitions of a paused topic pauses the rest individually.
        if (this.pausedTopics.has(topic)) {
          this.pausedTopics.delete(topic);
          for (const s of this.assigned()) {
            if (s.topic === topic && !partitions.includes(s.partition))
              this.pausedPartitions.add(tpKey(topic, s.partition));
          }
        }
      }
    }
  }

  isPaused(topic: string, partition: number): boolean {
    if (this.pausedPartitions.size === 0) return this.pausedTopics.has(topic);
    return this.pausedTopics.has(topic) || this.pausedPartitions.has(tpKey(topic, partition));
  }

  /** KafkaJS's `consumer.paused()`: `[{ topic, partitions }]` of assigned partitions that are paused. */
  paused(): Array<{ topic: string; partitions: number[] }> {
    const byTopic = new Map<string, number[]>();
    for (const s of this.assigned()) {
      if (!this.isPaused(s.topic, s.partition)) continue;
      const l = byTopic.get(s.topic);
      if (l) l.push(s.partition);
      else byTopic.set(s.topic, [s.partition]);
    }
    for (const t of this.pausedTopics) if (!byTopic.has(t)) byTopic.set(t, []);
    return [...byTopic].map(([topic, partitions]) => ({
      topic,
      partitions: partitions.sort((a, b) => a - b),
    }));
  }

  /** Partitions the fetcher may fetch now: assigned, not paused, position known. */
  fetchable(): PartitionState[] {
    return this.assigned().filter((s) => s.position !== null && !this.isPaused(s.topic, s.partition));
  }

  /** Partitions waiting for a position (committed offset lookup or reset). */
  needingPosition(): PartitionState[] {
    return this.assigned().filter((s) => s.position === null);
  }
}
