/**
 * Binds {@link AdminCluster} to the network's one port, {@link Cluster}: sending to a node, any
 * broker or the controller, Metadata, coordinators and feature levels come from it unchanged;
 * this adapter adds the admin's words: the timeout margin, leaders with one refresh on a miss,
 * broker ids, and the KafkaJS retry policy.
 */
import { KafkaJSError } from '../errors/base.js';
import type { Logger } from '../logger.js';
import { type Cluster, isStaleMetadataError } from '../network/cluster.js';
import type { CoordinatorType } from '../network/coordinators.js';
import type { ClusterFeatures } from '../network/features.js';
import type { NodeTarget } from '../network/port.js';
import { type RetryOptions, retry } from '../network/retry.js';
import type { ApiMessage } from '../protocol/api.js';
import type { MetadataResponse } from '../protocol/messages/index.js';
import type { AdminCluster, AdminSendOptions, AdminTarget } from './context.js';

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

  get clientSoftware() {
    return this.cluster.clientSoftware;
  }

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

  send<Req, Res>(
    target: AdminTarget,
    api: ApiMessage<Req, Res>,
    body: Req,
    options: AdminSendOptions = {},
  ): Promise<Res> {
    const timeout =
      options.timeout === undefined
        ? undefined
        : Math.max(options.timeout + TIMEOUT_MARGIN_MS, DEFAULT_REQUEST_TIMEOUT_MS);
    return this.cluster.send(target, api, body, { version: options.version, timeout });
  }

  versionFor(target: AdminTarget, api: ApiMessage<unknown, unknown>): Promise<number> {
    return this.cluster.versionFor(target, api);
  }

  metadata(topics: string[] | null): Promise<MetadataResponse> {
    return this.cluster.metadataFor(topics, { allowAutoTopicCreation: false });
  }

  features(target?: NodeTarget): Promise<ClusterFeatures> {
    return this.cluster.features(target);
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

  coordinator(type: CoordinatorType, key: string): Promise<number> {
    return this.cluster.coordinator(type, key);
  }

  forgetCoordinator(type: CoordinatorType, key: string): void {
    this.cluster.forgetCoordinator(type, key);
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
