import { KafkaJSError } from '../errors/base.js';
import {
  KafkaJSBrokerNotFound,
  KafkaJSMetadataNotLoaded,
  KafkaJSNoBrokerAvailableError,
  KafkaJSTopicMetadataNotLoaded,
} from '../errors/network.js';
import { createProtocolError } from '../errors/protocol.js';
import { type Logger, nullLogger } from '../logger.js';
import type { ApiMessage } from '../protocol/api.js';
import { Metadata } from '../protocol/messages/metadata.js';
import type { Connection, ConnectionPurpose, SendOptions } from './connection.js';
import { CoordinatorCache, type CoordinatorType, isCoordinatorError } from './coordinators.js';
import { type BrokerMetadata, MetadataCache, STALE_METADATA_CODES, type TopicMetadata } from './metadata.js';
import { ConnectionPool, type PoolOptions } from './pool.js';
import { type RetryOptions, retry } from './retry.js';

export type BrokersOption = string[] | (() => string[] | Promise<string[]>);

export interface ClusterOptions extends PoolOptions {
  brokers: BrokersOption;
  retry?: RetryOptions;
  /** Metadata older than this is refreshed in the background. Default 5 minutes. */
  metadataMaxAge?: number;
  /** Ask the broker to create unknown topics on a Metadata request (when its config allows). Default false. */
  allowAutoTopicCreation?: boolean;
  logger?: Logger;
}

/** Whether an error means the cached metadata is stale (refresh, then retry). */
export function isStaleMetadataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof KafkaJSError && typeof code === 'number' && STALE_METADATA_CODES.has(code);
}

export function parseBrokerAddress(address: string): { host: string; port: number } {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf(':');
  const host = (at > 0 ? trimmed.slice(0, at) : trimmed).replace(/^\[|\]$/g, '');
  const port = at > 0 ? Number(trimmed.slice(at + 1)) : 9092;
  return { host, port };
}

interface Refresh {
  /** null: every topic. */
  topics: Set<string> | null;
  promise: Promise<void>;
}

/**
 * The client's view of the cluster: bootstrap, a metadata cache refreshed on demand (concurrent
 * refreshes coalesce), on stale-metadata errors and every `metadataMaxAge`, partition leaders,
 * coordinators, and connections by broker and purpose.
 */
export class Cluster {
  readonly pool: ConnectionPool;
  readonly metadata = new MetadataCache();
  readonly coordinators: CoordinatorCache;
  private readonly logger: Logger;
  private readonly targetTopics = new Set<string>();
  private current: Refresh | undefined;
  private next: Refresh | undefined;
  private maxAgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ClusterOptions) {
    this.logger = (options.logger ?? options.connection.logger ?? nullLogger).namespace('Cluster');
    this.pool = new ConnectionPool(options);
    this.coordinators = new CoordinatorCache(() => this.anyConnection());
    this.startMaxAgeTimer();
  }

  private startMaxAgeTimer(): void {
    const maxAge = this.options.metadataMaxAge ?? 300_000;
    if (this.maxAgeTimer === undefined && Number.isFinite(maxAge) && maxAge > 0) {
      this.maxAgeTimer = setInterval(
        () => {
          if (this.metadata.loaded && Date.now() - this.metadata.updatedAt >= maxAge) {
            this.refreshMetadata().catch((error: unknown) =>
              this.logger.warn('Periodic metadata refresh failed', { error: (error as Error).message }),
            );
          }
        },
        Math.min(maxAge, 60_000),
      );
      this.maxAgeTimer.unref();
    }
  }

  /** Loads metadata through the bootstrap brokers (retried with the retry policy); reopens after disconnect(). */
  async connect(): Promise<void> {
    this.pool.reopen();
    this.startMaxAgeTimer();
    await this.refreshMetadata();
  }

  async disconnect(): Promise<void> {
    if (this.maxAgeTimer) clearInterval(this.maxAgeTimer);
    this.maxAgeTimer = undefined;
    await this.pool.close();
  }

  private async bootstrapAddresses(): Promise<Array<{ host: string; port: number }>> {
    const brokers =
      typeof this.options.brokers === 'function' ? await this.options.brokers() : this.options.brokers;
    if (!Array.isArray(brokers) || brokers.length === 0) {
      throw new KafkaJSNoBrokerAvailableError('The brokers option (or its provider) gave no broker address');
    }
    return brokers.map(parseBrokerAddress);
  }

  /**
   * A connected default-purpose connection to some broker: one already open, else a known
   * broker, else a bootstrap address (in random order, so that clients spread out).
   */
  async anyConnection(): Promise<Connection> {
    for (const c of this.pool.connections()) if (c.isConnected && c.purpose === 'default') return c;
    const candidates =
      this.metadata.brokers.size > 0 ? [...this.metadata.brokers.values()] : await this.bootstrapAddresses();
    const shuffled = candidates.map((c) => ({ c, r: Math.random() })).sort((a, b) => a.r - b.r);
    let lastError: unknown;
    for (const { c } of shuffled) {
      try {
        return await this.pool.get(c.host, c.port, 'default');
      } catch (error) {
        lastError = error;
        if (error instanceof KafkaJSError && !error.retriable) throw error;
      }
    }
    if (this.metadata.brokers.size > 0) {
      // every known broker failed: the cluster may have moved; fall back to the bootstrap list
      for (const b of await this.bootstrapAddresses()) {
        try {
          return await this.pool.get(b.host, b.port, 'default');
        } catch (error) {
          lastError = error;
          if (error instanceof KafkaJSError && !error.retriable) throw error;
        }
      }
    }
    throw new KafkaJSNoBrokerAvailableError(
      `No broker could be reached: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
      { cause: lastError },
    );
  }

  /** Adds topics to the set refreshed by `refreshMetadata()` without arguments. */
  addTargetTopics(topics: Iterable<string>): void {
    for (const t of topics) this.targetTopics.add(t);
  }

  /**
   * Refreshes metadata for `topics` (plus every topic tracked so far), `'all'` for every topic.
   * A call made while a refresh that covers its topics runs shares it; otherwise one follow-up
   * refresh is queued for all such callers.
   */
  refreshMetadata(topics?: string[] | 'all'): Promise<void> {
    if (Array.isArray(topics)) this.addTargetTopics(topics);
    const wanted: Set<string> | null = topics === 'all' ? null : new Set(this.targetTopics);
    const covers = (r: Refresh) =>
      r.topics === null || (wanted !== null && [...wanted].every((t) => r.topics!.has(t)));
    if (this.current && covers(this.current)) return this.current.promise;
    if (this.current) {
      if (this.next) {
        if (wanted === null) this.next.topics = null;
        else if (this.next.topics) for (const t of wanted) this.next.topics.add(t);
        return this.next.promise;
      }
      const next: Refresh = { topics: wanted, promise: Promise.resolve() };
      next.promise = this.current.promise
        .catch(() => {})
        .then(() => {
          this.next = undefined;
          return this.start(next);
        });
      this.next = next;
      return next.promise;
    }
    return this.start({ topics: wanted, promise: Promise.resolve() });
  }

  private start(refresh: Refresh): Promise<void> {
    refresh.promise = retry(() => this.loadMetadata(refresh.topics), this.options.retry, {
      onRetry: (error, count, delay) =>
        this.logger.warn('Metadata request failed; retrying', {
          error: (error as Error).message,
          retryCount: count,
          retryTime: delay,
        }),
    }).finally(() => {
      if (this.current === refresh) this.current = undefined;
    });
    this.current = refresh;
    return refresh.promise;
  }

  private async loadMetadata(topics: Set<string> | null): Promise<void> {
    const connection = await this.anyConnection();
    const response = await connection.send(Metadata, {
      topics: topics === null ? null : [...topics].map((name) => ({ name })),
      allowAutoTopicCreation: this.options.allowAutoTopicCreation ?? false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    if (response.errorCode) throw createProtocolError(response.errorCode);
    this.metadata.update(response, topics === null);
    this.logger.debug('Metadata refreshed', {
      brokers: this.metadata.brokers.size,
      topics: response.topics.length,
      controllerId: this.metadata.controllerId,
    });
  }

  /** Refreshes (with retries) until every topic in `topics` has metadata without error. */
  async ensureTopicMetadata(topics: string[]): Promise<void> {
    this.addTargetTopics(topics);
    await retry(async () => {
      const missing = topics.filter((t) => {
        const m = this.metadata.topics.get(t);
        return m?.errorCode !== 0 || m.partitions.some((p) => p.leader < 0);
      });
      if (missing.length === 0) return;
      await this.refreshMetadata(missing);
      for (const t of missing) this.topicMetadata(t);
    }, this.options.retry);
  }

  /** The cached metadata of one topic, or a typed (retriable) error. */
  topicMetadata(topic: string): TopicMetadata {
    if (!this.metadata.loaded) throw new KafkaJSMetadataNotLoaded();
    const m = this.metadata.topics.get(topic);
    if (!m) throw new KafkaJSTopicMetadataNotLoaded(`No metadata for topic "${topic}"`, { topic });
    if (m.errorCode !== 0) throw createProtocolError(m.errorCode, `topic "${topic}"`);
    return m;
  }

  /** The node id leading `topic`/`partition`. */
  leaderFor(topic: string, partition: number): number {
    const p = this.topicMetadata(topic).partitions[partition];
    if (!p || p.partitionId !== partition) {
      throw createProtocolError(3, `partition ${partition} of "${topic}" is not in the metadata`);
    }
    if (p.leader < 0) throw createProtocolError(5, `partition ${partition} of "${topic}" has no leader`);
    return p.leader;
  }

  broker(nodeId: number): BrokerMetadata {
    const b = this.metadata.brokers.get(nodeId);
    if (!b) throw new KafkaJSBrokerNotFound(`Broker ${nodeId} is not in the cluster metadata`, { nodeId });
    return b;
  }

  /** A connected connection to a broker by node id, for one purpose. */
  connectionTo(nodeId: number, purpose: ConnectionPurpose = 'default'): Promise<Connection> {
    const b = this.broker(nodeId);
    return this.pool.get(b.host, b.port, purpose);
  }

  /** Sends one request to a node; a stale-metadata answer triggers a background refresh. */
  async sendTo<Req, Res>(
    nodeId: number,
    api: ApiMessage<Req, Res>,
    body: Req,
    options: SendOptions & { purpose?: ConnectionPurpose } = {},
  ): Promise<Res> {
    const connection = await this.connectionTo(nodeId, options.purpose);
    return connection.send(api, body, options);
  }

  /**
   * Runs `fn` with the retry policy; a stale-metadata error or an unknown node id refreshes
   * metadata before the next attempt, a coordinator error forgets the coordinator `coordinator` names.
   */
  withRetry<T>(fn: () => Promise<T>, coordinator?: { type: CoordinatorType; key: string }): Promise<T> {
    return retry(async () => {
      try {
        return await fn();
      } catch (error) {
        // a node missing from the metadata (it was down at the last refresh) may be back by now
        if (isStaleMetadataError(error) || error instanceof KafkaJSBrokerNotFound)
          await this.refreshMetadata().catch(() => {});
        if (coordinator && isCoordinatorError(error))
          this.coordinators.invalidate(coordinator.type, coordinator.key);
        throw error;
      }
    }, this.options.retry);
  }

  /** The coordinator of a group or a transactional id (cached; concurrent lookups batched; retried). */
  async findCoordinator(type: CoordinatorType, key: string): Promise<BrokerMetadata> {
    const coordinator = await retry(async () => {
      try {
        return await this.coordinators.find(type, key);
      } catch (error) {
        if (isCoordinatorError(error)) this.coordinators.invalidate(type, key);
        throw error;
      }
    }, this.options.retry);
    if (!this.metadata.brokers.has(coordinator.nodeId))
      this.metadata.brokers.set(coordinator.nodeId, coordinator);
    return coordinator;
  }

  /** A connection to the coordinator (default purpose). */
  async coordinatorConnection(type: CoordinatorType, key: string): Promise<Connection> {
    const c = await this.findCoordinator(type, key);
    return this.pool.get(c.host, c.port, 'default');
  }
}
