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
  roundRobin: PartitionAssigner;
  range: PartitionAssigner;
  sticky: PartitionAssigner;
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
