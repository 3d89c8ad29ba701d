import type { Cluster } from '../network/cluster.js';
import type { ApiMessage } from '../protocol/api.js';
import type { MetadataResponse } from '../protocol/messages/index.js';
import type { ConsumerCluster, ConsumerPurpose, ConsumerSendOptions } from './context.js';

/**
 * Binds the consumer's {@link ConsumerCluster} to the network's one port, the shared `Cluster`:
 * its pool (one connection per broker and purpose, SASL/TLS done there), its coordinator cache
 * and its Metadata requests (which keep the shared metadata cache up to date). Only the words
 * differ: the consumer names the purpose first and its coordinators are always groups.
 */
export class ClusterAdapter implements ConsumerCluster {
  constructor(
    private readonly cluster: Cluster,
    /** KafkaJS's and Java's default: a subscribed topic that does not exist may be created by the broker (if it allows). */
    private readonly allowAutoTopicCreation = true,
  ) {}

  connect(): Promise<void> {
    return this.cluster.connect();
  }

  disconnect(): Promise<void> {
    return this.cluster.disconnect();
  }

  send<Req, Res>(
    nodeId: number,
    purpose: ConsumerPurpose,
    api: ApiMessage<Req, Res>,
    body: Req,
    options: ConsumerSendOptions = {},
  ): Promise<Res> {
    return this.cluster.send(nodeId, api, body, { ...options, purpose });
  }

  versionFor(nodeId: number, purpose: ConsumerPurpose, api: ApiMessage<unknown, unknown>): Promise<number> {
    return this.cluster.versionFor(nodeId, api, purpose);
  }

  metadata(topics: string[] | null): Promise<MetadataResponse> {
    return this.cluster.metadataFor(topics, { allowAutoTopicCreation: this.allowAutoTopicCreation });
  }

  coordinator(groupId: string): Promise<number> {
    return this.cluster.coordinator('group', groupId);
  }

  forgetCoordinator(groupId: string): void {
    this.cluster.forgetCoordinator('group', groupId);
  }
}
