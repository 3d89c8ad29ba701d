import type { PartitionLoad } from './load-stats.js';
import { approximateSize, explicitPartition, keyBytes } from './message.js';
import { murmur2, toPositive } from './murmur2.js';
import type { Partitioner, PartitionMetadata } from './types.js';

interface StickyState {
  partition: number;
  bytes: number;
}

/**
 * Adaptive sticky partitioning for keyless records (KIP-794, the Java client's default): like
 * uniform sticky, every keyless record of a topic goes to one partition until `batchSize` bytes
 * have gone there; the next partition is then drawn with a weight that falls with the number of
 * batches already waiting for it (`max + 1 - queued`, Java's formula), so that partitions whose
 * leader is slow get fewer new records instead of an ever longer queue. Partitions led by a
 * broker that has not taken data for `partitionerAvailabilityTimeout` are left out while others
 * remain.
 */
export class AdaptiveStickyTracker {
  private readonly topics = new Map<string, StickyState>();

  constructor(
    private readonly batchSize: number,
    private readonly load: PartitionLoad,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  partition(topic: string, partitions: PartitionMetadata[], recordBytes: number): number {
    let state = this.topics.get(topic);
    if (state === undefined || state.partition >= partitions.length) {
      state = { partition: this.pick(topic, partitions), bytes: 0 };
      this.topics.set(topic, state);
    } else if (state.bytes >= this.batchSize) {
      state.partition = this.pick(topic, partitions);
      state.bytes = 0;
    }
    state.bytes += recordBytes;
    return state.partition;
  }

  /** The weighted draw; runs once per `batchSize` bytes of a topic, so O(partitions) is fine. */
  pick(topic: string, partitions: PartitionMetadata[]): number {
    const now = this.now();
    const led = partitions.filter((p) => p.leader >= 0);
    const reachable = led.filter((p) => !this.load.isUnavailable(p.leader, now));
    const pool = reachable.length > 0 ? reachable : led.length > 0 ? led : partitions;
    if (pool.length === 0) return 0;
    if (pool.length === 1) return pool[0]!.partitionId;
    const queued = pool.map((p) => this.load.queuedBatches(topic, p.partitionId));
    const maxPlusOne = Math.max(...queued) + 1;
    let total = 0;
    const cumulative = queued.map((q) => {
      total += maxPlusOne - q;
      return total;
    });
    const r = Math.floor(this.random() * total);
    for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]!) return pool[i]!.partitionId;
    return pool[pool.length - 1]!.partitionId;
  }
}

/**
 * The producer's built-in partitioner when no `createPartitioner` is given: the record's own
 * partition if set, Java's murmur2 for a keyed record (keys map exactly as with
 * `Partitioners.DefaultPartitioner`), adaptive sticky for a keyless one. Internal: it needs the
 * producer's accumulator, so it is not a KafkaJS-style factory.
 */
export function adaptivePartitioner(batchSize: number, load: PartitionLoad): Partitioner {
  const sticky = new AdaptiveStickyTracker(batchSize, load);
  return ({ topic, partitionMetadata, message }) => {
    const explicit = explicitPartition(message);
    if (explicit !== undefined) return explicit;
    if (message.key != null) return toPositive(murmur2(keyBytes(message.key))) % partitionMetadata.length;
    return sticky.partition(topic, partitionMetadata, approximateSize(message));
  };
}
