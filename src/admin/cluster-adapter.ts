/**
 * Binds {@link AdminCluster} to the network layer's {@link Cluster}: target resolution (any
 * broker, controller, node id), fresh Metadata requests that also feed the shared cache,
 * leaders and coordinators with a refresh on a miss, and the KafkaJS retry policy.
 */
import { KafkaJSError } from '../errors/base.js';
import { createProtocolError } from '../errors/protocol.js';
import type { Logger } from '../logger.js';
import { type Cluster, isStaleMetadataError } from '../network/cluster.js';
import type { Connection } from '../network/connection.js';
import { type RetryOptions, retry } from '../network/retry.js';
import type { ApiMessage } from '../protocol/api.js';
import { Metadata, type MetadataResponse } from '../protocol/messages/index.js';
import type { AdminCluster, AdminSendOptions, AdminTarget, CoordinatorType } from './context.js';

/** Extra time the client waits beyond a broker-side `timeoutMs` before giving up on the answer. */
const TIMEOUT_MARGIN_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export class ClusterAdapter implements AdminCluster {
  private connected = false;

  constructor(
    private readonly cluster: Cluster,
    readonly logger: Logger,
    private readonly retryOptions: RetryOptions | undefined,
  ) {}

  async connect(): Promise<void> {
    await this.cluster.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    await this.cluster.disconnect();
  }

  isConnected(): boolean {
    return this.connected;
  }

  private async ensureMetadata(): Promise<void> {
    if (!this.cluster.metadata.loaded) await this.cluster.refreshMetadata();
  }

  private async connectionFor(target: AdminTarget): Promise<Connection> {
    if (target === 'any') return this.cluster.anyConnection();
    let nodeId: number;
    if (target === 'controller') {
      await this.ensureMetadata();
      nodeId = this.cluster.metadata.controllerId;
      if (nodeId < 0 || !this.cluster.metadata.brokers.has(nodeId)) {
        await this.cluster.refreshMetadata();
        nodeId = this.cluster.metadata.controllerId;
      }
      // KRaft brokers forward controller requests; with no controller known any broker will do.
      if (nodeId < 0 || !this.cluster.metadata.brokers.has(nodeId)) return this.cluster.anyConnection();
    } else {
      nodeId = target;
      if (!this.cluster.metadata.brokers.has(nodeId)) await this.cluster.refreshMetadata();
    }
    return this.cluster.connectionTo(nodeId);
  }

  async send<Req, Res>(
    target: AdminTarget,
    api: ApiMessage<Req, Res>,
    body: Req,
    options: AdminSendOptions = {},
  ): Promise<Res> {
    const connection = await this.connectionFor(target);
    const timeout =
      options.timeout === undefined
        ? undefined
        : Math.max(options.timeout + TIMEOUT_MARGIN_MS, DEFAULT_REQUEST_TIMEOUT_MS);
    try {
      return await connection.send(api, body, { version: options.version, timeout });
    } catch (error) {
      // A controller that moved answers NOT_CONTROLLER at the top level of some APIs.
      if (target === 'controller' && isStaleMetadataError(error))
        await this.cluster.refreshMetadata().catch(() => {});
      throw error;
    }
  }

  async versionFor(target: AdminTarget, api: ApiMessage<unknown, unknown>): Promise<number> {
    const connection = await this.connectionFor(target);
    return connection.versionFor(api);
  }

  async metadata(topics: string[] | null): Promise<MetadataResponse> {
    const connection = await this.cluster.anyConnection();
    const response = await connection.send(Metadata, {
      topics: topics === null ? null : topics.map((name) => ({ name })),
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    if (response.errorCode) throw createProtocolError(response.errorCode);
    this.cluster.metadata.update(response, topics === null);
    return response;
  }

  async leaderFor(topic: string, partition: number): Promise<number> {
    try {
      return this.cluster.leaderFor(topic, partition);
    } catch {
      await this.metadata([topic]);
      return this.cluster.leaderFor(topic, partition);
    }
  }

  async invalidate(topics?: string[]): Promise<void> {
    try {
      if (topics && topics.length > 0) await this.metadata(topics);
      else await this.cluster.refreshMetadata();
    } catch (error) {
      this.logger.debug('Metadata refresh failed', { error: (error as Error).message });
    }
  }

  async coordinator(type: CoordinatorType, key: string): Promise<number> {
    const c = await this.cluster.findCoordinator(type, key);
    return c.nodeId;
  }

  forgetCoordinator(type: CoordinatorType, key: string): void {
    this.cluster.coordinators.invalidate(type, key);
  }

  async brokerIds(): Promise<number[]> {
    await this.cluster.refreshMetadata();
    return [...this.cluster.metadata.brokers.keys()].sort((a, b) => a - b);
  }

  retry<T>(fn: (attempt: number) => Promise<T>): Promise<T> {
    return retry(
      async (_bail, retryCount) => {
        try {
          return await fn(retryCount);
        } catch (error) {
          if (isStaleMetadataError(error)) await this.cluster.refreshMetadata().catch(() => {});
          throw error;
        }
      },
      this.retryOptions,
      {
        onRetry: (error, retryCount, delay) =>
          this.logger.warn('Admin request failed; retrying', {
            error: error instanceof KafkaJSError ? error.message : String(error),
            retryCount,
            retryTime: delay,
          }),
      },
    );
  }
}
