import type { Cluster } from '../network/cluster.js';
import type { ApiMessage } from '../protocol/api.js';
import { Metadata, type MetadataResponse } from '../protocol/messages/index.js';
import type { ConsumerCluster, ConsumerPurpose, ConsumerSendOptions } from './context.js';

/**
 * Binds the consumer's {@link ConsumerCluster} to the shared network `Cluster`: its pool (one
 * connection per broker and purpose, SASL/TLS done there), its coordinator cache and its
 * metadata cache (kept up to date with the consumer's own Metadata requests).
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
    return this.cluster.sendTo(nodeId, api, body, { ...options, purpose });
  }

  async versionFor(
    nodeId: number,
    purpose: ConsumerPurpose,
    api: ApiMessage<unknown, unknown>,
  ): Promise<number> {
    const connection = await this.cluster.connectionTo(nodeId, purpose);
    return connection.versionFor(api);
  }

  async metadata(topics: string[] | null): Promise<MetadataResponse> {
    const connection = await this.cluster.anyConnection();
    const version = connection.versionFor(Metadata);
    const res = await connection.send(
      Metadata,
      {
        topics: topics === null ? null : topics.map((name) => ({ name })),
        allowAutoTopicCreation: this.allowAutoTopicCreation,
        includeTopicAuthorizedOperations: false,
      },
      { version },
    );
    this.cluster.metadata.update(res, topics === null);
    return res;
  }

  async coordinator(groupId: string): Promise<number> {
    return (await this.cluster.findCoordinator('group', groupId)).nodeId;
  }

  forgetCoordinator(groupId: string): void {
    this.cluster.coordinators.invalidate('group', groupId);
  }
}
