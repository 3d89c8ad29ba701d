import type { Logger } from '../logger.js';
import { ConsumerGroupHeartbeat } from '../protocol/messages/index.js';
import type { ConsumerCluster } from './context.js';
import type { ResolvedConsumerOptions } from './options.js';

export type GroupProtocol = 'classic' | 'consumer';

/**
 * Which group protocol a consumer uses when `groupProtocol` is not set. A program that passes
 * `partitionAssigners` expects its assigners to run (NestJS reads its reply partitions from its
 * own assigner's result, and a rolling migration from KafkaJS keeps one assignor across the
 * group), which only the classic protocol does: then classic, said at INFO. Otherwise KIP-848
 * when the brokers speak ConsumerGroupHeartbeat (Kafka 4.x), else classic. The brokers are
 * asked through any of them rather than the coordinator, so that a coordinator that is not
 * available yet does not silently decide the protocol.
 */
export async function chooseGroupProtocol(
  cluster: ConsumerCluster,
  options: ResolvedConsumerOptions,
  logger: Logger,
): Promise<GroupProtocol> {
  if (options.groupProtocol !== undefined) return options.groupProtocol;
  if (options.assignersGiven) {
    logger.info('Using the classic group protocol because partitionAssigners were given', {
      groupId: options.groupId,
      partitionAssigners: options.partitionAssigners.length,
      hint: "set groupProtocol: 'consumer' to use KIP-848 (the broker assigns, the assigners are not used)",
    });
    return 'classic';
  }
  try {
    const meta = await cluster.metadata([]);
    const node = meta.brokers[0]?.nodeId;
    if (node === undefined) return 'classic';
    await cluster.versionFor(node, 'default', ConsumerGroupHeartbeat);
    return 'consumer';
  } catch {
    return 'classic';
  }
}
