import type { PartitionMetadata } from './types.js';

interface StickyState {
  partition: number;
  bytes: number;
}

/**
 * Uniform sticky partitioning for keyless records (KIP-480, KIP-794): every keyless record of a
 * topic goes to one partition until `batchSize` bytes have gone there, then a new partition is
 * drawn at random, preferring partitions that have a leader and avoiding the one just used. This
 * fills one batch at a time instead of spraying tiny batches over every partition, and spreads
 * bytes evenly over time.
 */
export class StickyPartitionTracker {
  private readonly topics = new Map<string, StickyState>();

  constructor(
    private readonly batchSize: number,
    private readonly random: () => number = Math.random,
  ) {}

  partition(topic: string, partitions: PartitionMetadata[], recordBytes: number): number {
    let state = this.topics.get(topic);
    if (state === undefined || state.partition >= partitions.length) {
      state = { partition: this.pick(partitions, -1), bytes: 0 };
      this.topics.set(topic, state);
    } else if (state.bytes >= this.batchSize) {
      state.partition = this.pick(partitions, state.partition);
      state.bytes = 0;
    }
    state.bytes += recordBytes;
    return state.partition;
  }

  private pick(partitions: PartitionMetadata[], previous: number): number {
    const available: number[] = [];
    for (const p of partitions) if (p.leader >= 0) available.push(p.partitionId);
    const pool = available.length > 0 ? available : partitions.map((p) => p.partitionId);
    if (pool.length === 0) return 0;
    if (pool.length === 1) return pool[0]!;
    let choice = pool[Math.floor(this.random() * pool.length)]!;
    if (choice === previous) {
      // Drawing again from the others keeps the choice uniform over the remaining partitions.
      const others = pool.filter((id) => id !== previous);
      choice = others[Math.floor(this.random() * others.length)]!;
    }
    return choice;
  }
}
