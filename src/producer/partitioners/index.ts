import { randomInt } from 'node:crypto';
import { DEFAULT_BATCH_SIZE } from '../options.js';
import { approximateSize, explicitPartition, keyBytes } from './message.js';
import { legacyMurmur2, murmur2, toPositive } from './murmur2.js';
import { StickyPartitionTracker } from './sticky.js';
import type { ICustomPartitioner, PartitionerOptions, PartitionMetadata } from './types.js';

export { legacyMurmur2, murmur2, partitionForKey, toPositive } from './murmur2.js';
export { StickyPartitionTracker } from './sticky.js';
export type {
  ICustomPartitioner,
  Partitioner,
  PartitionerArgs,
  PartitionerMessage,
  PartitionerOptions,
  PartitionMetadata,
} from './types.js';

/**
 * The Java client's partitioning: the message's own `partition` if set, `toPositive(murmur2(key))
 * % partitions` for a keyed message, uniform sticky for a keyless one. KafkaJS 2's
 * `DefaultPartitioner` and `JavaCompatiblePartitioner` both mean this.
 */
export const DefaultPartitioner: ICustomPartitioner = (options?: PartitionerOptions) => {
  const sticky = new StickyPartitionTracker(options?.batchSize ?? DEFAULT_BATCH_SIZE);
  return ({ topic, partitionMetadata, message }) => {
    const explicit = explicitPartition(message);
    if (explicit !== undefined) return explicit;
    const n = partitionMetadata.length;
    if (message.key != null) return toPositive(murmur2(keyBytes(message.key))) % n;
    return sticky.partition(topic, partitionMetadata, approximateSize(message));
  };
};

function availableOrAll(partitions: PartitionMetadata[]): PartitionMetadata[] {
  const available = partitions.filter((p) => p.leader >= 0);
  return available.length > 0 ? available : partitions;
}

/**
 * KafkaJS 1.x's default partitioner (KafkaJS 2 calls it `LegacyPartitioner`): its own murmur2
 * variant for keyed messages, which does not match the Java client, and round-robin from a
 * random starting point over partitions that have a leader for keyless ones. Only for programs
 * that must keep the key → partition mapping of data KafkaJS 1.x wrote.
 */
export const LegacyPartitioner: ICustomPartitioner = () => {
  let counter = randomInt(0, 0x7fffffff);
  return ({ partitionMetadata, message }) => {
    const explicit = explicitPartition(message);
    if (explicit !== undefined) return explicit;
    const n = partitionMetadata.length;
    if (message.key != null) return toPositive(legacyMurmur2(keyBytes(message.key))) % n;
    const pool = availableOrAll(partitionMetadata);
    const next = toPositive(counter);
    counter = (counter + 1) | 0;
    return pool[next % pool.length]!.partitionId;
  };
};

/** KafkaJS's names for the built-in partitioners. */
export const Partitioners = Object.freeze({
  DefaultPartitioner,
  /** KafkaJS's other name for `DefaultPartitioner`: the Java client's partitioning. */
  JavaCompatiblePartitioner: DefaultPartitioner,
  LegacyPartitioner,
});
