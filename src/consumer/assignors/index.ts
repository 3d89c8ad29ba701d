import { builtinAssigner, type PartitionAssigner } from './assigner.js';
import { rangeAssign } from './range.js';
import { roundRobinAssign } from './round-robin.js';
import { cooperativeStickyAssign, stickyAssign } from './sticky.js';

export * from './assigner.js';
export { rangeAssign } from './range.js';
export { roundRobinAssign } from './round-robin.js';
export {
  cooperativeStickyAssign,
  decodeStickyUserData,
  encodeStickyUserData,
  stickyAssign,
} from './sticky.js';
export * from './types.js';

/**
 * The built-in assigners, under the Java client's protocol names so that kafkats members can
 * share a group with Java (and librdkafka) members using the same strategy.
 */
export const PartitionAssigners: {
  /** `roundrobin`: every subscribed partition dealt in turn to the members subscribed to its topic (eager). */
  roundRobin: PartitionAssigner;
  /** `range`: per topic, consecutive partition ranges to each member (eager). */
  range: PartitionAssigner;
  /** `sticky`: balanced, keeping each member's previous partitions where it can (eager). */
  sticky: PartitionAssigner;
  /** `cooperative-sticky`: sticky with incremental cooperative rebalancing (KIP-429): only moved partitions are revoked. */
  cooperativeSticky: PartitionAssigner;
} = {
  roundRobin: builtinAssigner({ name: 'roundrobin', algorithm: roundRobinAssign, protocols: ['eager'] }),
  range: builtinAssigner({ name: 'range', algorithm: rangeAssign, protocols: ['eager'] }),
  sticky: builtinAssigner({
    name: 'sticky',
    algorithm: stickyAssign,
    protocols: ['eager'],
    stickyUserData: true,
  }),
  cooperativeSticky: builtinAssigner({
    name: 'cooperative-sticky',
    algorithm: cooperativeStickyAssign,
    protocols: ['cooperative'],
  }),
};

/**
 * Round-robin under KafkaJS's protocol name. The consumer offers it after `roundrobin` when no
 * `partitionAssigners` are given, so that during a rolling migration kafkats members share a
 * classic group with KafkaJS 2.x members (which offer only `RoundRobinAssigner`): the broker picks
 * the one name every member offers. Among kafkats members alone `roundrobin` wins the vote.
 */
export const kafkajsRoundRobin: PartitionAssigner = builtinAssigner({
  name: 'RoundRobinAssigner',
  algorithm: roundRobinAssign,
  protocols: ['eager'],
});
