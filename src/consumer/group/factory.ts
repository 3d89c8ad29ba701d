import type { Logger } from '../../logger.js';
import type { AssignerCluster } from '../assignors/assigner.js';
import type { ConsumerCore } from '../core.js';
import { ClassicGroup } from './classic.js';
import { ConsumerGroup848 } from './consumer-protocol-848.js';
import type { GroupMembership, MembershipListener } from './membership.js';

/** The group membership of a subscribed consumer, for the protocol chosen (see protocol-choice.ts). */
export function createGroupMembership(
  protocol: 'classic' | 'consumer',
  core: ConsumerCore,
  listener: MembershipListener,
  logger: Logger,
): GroupMembership {
  const { options, catalog, cluster } = core;
  const groupId = options.groupId!;
  if (protocol === 'consumer') {
    return new ConsumerGroup848(
      cluster,
      catalog,
      {
        groupId,
        groupInstanceId: options.groupInstanceId,
        rackId: options.rackId ?? null,
        rebalanceTimeout: options.rebalanceTimeout,
        serverAssignor: options.groupRemoteAssignor,
        refreshMetadata: () => core.refreshMetadata(),
        logger,
      },
      listener,
    );
  }
  const assignerCluster: AssignerCluster = {
    findTopicPartitionMetadata: (topic) => catalog.partitionMetadata(topic),
    partitionRacks: (topic, partition) =>
      (catalog.route(topic, partition)?.replicas ?? [])
        .map((n) => catalog.rackOf(n))
        .filter((r): r is string => r !== undefined),
  };
  return new ClassicGroup(
    cluster,
    {
      groupId,
      sessionTimeout: options.sessionTimeout,
      rebalanceTimeout: options.rebalanceTimeout,
      heartbeatInterval: options.heartbeatInterval,
      groupInstanceId: options.groupInstanceId,
      rackId: options.rackId ?? null,
      assigners: options.partitionAssigners.map((f) => f({ cluster: assignerCluster, groupId, logger })),
      prepareAssignment: async (topics) => {
        if (topics.length > 0) catalog.update(await cluster.metadata(topics));
      },
      logger,
    },
    listener,
  );
}
