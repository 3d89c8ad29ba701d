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
import { Codes } from '../protocol/codes.js';
import { ApiVersions } from '../protocol/messages/api-versions.js';
import { Metadata, type MetadataResponse } from '../protocol/messages/metadata.js';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from './client-software.js';
import type { Connection, ConnectionPurpose, SendOptions } from './connection.js';
import { CoordinatorCache, type CoordinatorType, isCoordinatorError } from './coordinators.js';
import { apiVersionsRequest, type ClusterFeatures, type ExpectedIdentity, featuresOf } from './features.js';
import { type BrokerMetadata, MetadataCache, STALE_METADATA_CODES, type TopicMetadata } from './metadata.js';
import { ConnectionPool, type PoolOptions } from './pool.js';
import type { MetadataRequestOptions, NetworkPort, NodeTarget, PortSendOptions } from './port.js';
import { type RetryOptions, retry } from './retry.js';

/** The bootstrap brokers as `host:port` strings, or a function (possibly async) that returns them, called on each bootstrap. */
export type BrokersOption = string[] | (() => string[] | Promise<string[]>);

/**
 * What the client does when it loses the cluster (Java's `metadata.recovery.strategy`, KIP-899):
 * `'rebootstrap'` forgets every broker it knew and starts again from the bootstrap addresses;
 * `'none'` keeps to the brokers it knew, and requests fail with typed errors once they are gone.
 */
export type MetadataRecoveryStrategy = 'rebootstrap' | 'none';

/** Java's default for `metadata.recovery.rebootstrap.trigger.ms` (KIP-1102): 5 minutes. */
export const DEFAULT_REBOOTSTRAP_TRIGGER_MS = 300_000;

export interface ClusterOptions extends Omit<PoolOptions, 'expectedIdentity'> {
  brokers: BrokersOption;
  retry?: RetryOptions;
  /** Metadata older than this is refreshed in the background. Default 5 minutes. */
  metadataMaxAge?: number;
  /** Ask the broker to create unknown topics on a Metadata request (when its config allows). Default false. */
  allowAutoTopicCreation?: boolean;
  /** Default `'rebootstrap'`, as the Java client from 4.0. */
  metadataRecoveryStrategy?: MetadataRecoveryStrategy;
  /**
   * With `'rebootstrap'`: when no metadata could be loaded for this long, rebootstrap even though
   * some known broker may still accept connections (KIP-1102). Default 300000.
   */
  metadataRecoveryRebootstrapTriggerMs?: number;
  logger?: Logger;
}

/** Whether an error carries REBOOTSTRAP_REQUIRED (a Metadata v13 answer or an ApiVersions v5 refusal). */
export function isRebootstrapRequired(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === Codes.REBOOTSTRAP_REQUIRED;
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
 * The client's view of the cluster and the one {@link NetworkPort} every client uses: bootstrap,
 * a metadata cache refreshed on demand (concurrent refreshes coalesce), on stale-metadata errors
 * and every `metadataMaxAge`, partition leaders, coordinators, connections by broker and purpose,
 * and the recovery when the cluster it knew is gone (rebootstrap, KIP-899/KIP-1102).
 */
export class Cluster implements NetworkPort {
  readonly pool: ConnectionPool;
  readonly clientSoftware = { name: CLIENT_SOFTWARE_NAME, version: CLIENT_SOFTWARE_VERSION } as const;
  readonly metadata = new MetadataCache();
  readonly coordinators: CoordinatorCache;
  private readonly logger: Logger;
  private readonly targetTopics = new Set<string>();
  private current: Refresh | undefined;
  private next: Refresh | undefined;
  private maxAgeTimer: NodeJS.Timeout | undefined;
  private rebootstrapping: Promise<void> | undefined;
  /** Date.now() of the first failed metadata load since the last good one (0: none failed). */
  private failingSince = 0;
  /** How many times this client went back to its bootstrap addresses (for logs and tests). */
  rebootstraps = 0;

  constructor(private readonly options: ClusterOptions) {
    this.logger = (options.logger ?? options.connection.logger ?? nullLogger).namespace('Cluster');
    this.pool = new ConnectionPool({
      ...options,
      expectedIdentity: (host, port) => this.expectedIdentity(host, port),
    });
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

  private get rebootstrapEnabled(): boolean {
    return (this.options.metadataRecoveryStrategy ?? 'rebootstrap') === 'rebootstrap';
  }

  /** The node and cluster at an address, from the metadata: what ApiVersions v5 asks the broker to confirm. */
  private expectedIdentity(host: string, port: number): ExpectedIdentity | undefined {
    const clusterId = this.metadata.clusterId;
    if (clusterId === null) return undefined;
    for (const b of this.metadata.brokers.values())
      if (b.host === host && b.port === port) return { clusterId, nodeId: b.nodeId };
    return undefined;
  }

  /**
   * A connected default-purpose connection to some broker: one already open, else a known
   * broker, else a bootstrap address (in random order, so that clients spread out). When every
   * known broker fails, the cluster is treated as lost: with `'rebootstrap'` the client forgets
   * it and starts over from the bootstrap addresses (KIP-899), with `'none'` the error stands.
   */
  async anyConnection(): Promise<Connection> {
    for (const c of this.pool.connections()) if (c.isConnected && c.purpose === 'default') return c;
    if (this.rebootstrapping) await this.rebootstrapping;
    const known = this.metadata.brokers.size > 0;
    const candidates = known ? [...this.metadata.brokers.values()] : await this.bootstrapAddresses();
    const failures: string[] = [];
    let lastError: unknown;
    for (const c of shuffle(candidates)) {
      try {
        return await this.pool.get(c.host, c.port, 'default');
      } catch (error) {
        lastError = error;
        failures.push(`${c.host}:${c.port} (${error instanceof Error ? error.message : String(error)})`);
        if (isRebootstrapRequired(error)) {
          // the address answers for another cluster or node now (KIP-1242): the cluster moved
          if (!this.rebootstrapEnabled) throw error;
          break;
        }
        if (error instanceof KafkaJSError && !error.retriable) throw error;
      }
    }
    if (known && this.rebootstrapEnabled) {
      await this.rebootstrap(
        isRebootstrapRequired(lastError)
          ? `a known broker refused the connection: ${failures.at(-1)}`
          : 'no broker of the cluster could be reached',
      );
      return this.anyConnection();
    }
    const which = known ? 'known broker' : 'bootstrap broker';
    throw new KafkaJSNoBrokerAvailableError(`No ${which} could be reached: ${failures.join('; ')}`, {
      cause: lastError,
    });
  }

  /**
   * Forgets the cluster (brokers, cluster id, controller, coordinators, every connection) so that
   * the next metadata load goes to the bootstrap addresses, as the Java client's rebootstrap does.
   * Topics stay cached until that load replaces them. Concurrent callers share one rebootstrap.
   */
  rebootstrap(reason: string): Promise<void> {
    this.rebootstrapping ??= (async () => {
      this.rebootstraps++;
      this.logger.warn('Rebootstrapping: going back to the bootstrap brokers', {
        reason,
        brokers: [...this.metadata.brokers.values()].map((b) => `${b.host}:${b.port}`),
        clusterId: this.metadata.clusterId,
      });
      this.metadata.brokers.clear();
      this.metadata.clusterId = null;
      this.metadata.controllerId = -1;
      this.coordinators.clear();
      this.failingSince = 0;
      await this.pool.reset();
    })().finally(() => {
      this.rebootstrapping = undefined;
    });
    return this.rebootstrapping;
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
    const response = await this.requestMetadata(topics === null ? null : [...topics]);
    this.logger.debug('Metadata refreshed', {
      brokers: this.metadata.brokers.size,
      topics: response.topics.length,
      controllerId: this.metadata.controllerId,
    });
  }

  /**
   * The one place a Metadata request is built and its top-level error checked; the answer feeds
   * the cache. REBOOTSTRAP_REQUIRED (Metadata v13), and failing to load any metadata for
   * `metadataRecoveryRebootstrapTriggerMs`, rebootstrap before the error goes to the caller's
   * retry (as a retriable error: the next attempt asks the bootstrap brokers).
   */
  private async requestMetadata(
    topics: string[] | null,
    options: MetadataRequestOptions = {},
  ): Promise<MetadataResponse> {
    try {
      const connection = await this.anyConnection();
      const response = await connection.send(Metadata, {
        topics: topics === null ? null : topics.map((name) => ({ name })),
        allowAutoTopicCreation:
          options.allowAutoTopicCreation ?? this.options.allowAutoTopicCreation ?? false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
      const code = response.errorCode ?? Codes.NONE;
      if (code !== Codes.NONE) throw createProtocolError(code);
      this.metadata.update(response, topics === null);
      this.failingSince = 0;
      return response;
    } catch (error) {
      throw await this.onMetadataFailure(error);
    }
  }

  /** Rebootstraps when the failure calls for it; returns the error the caller should see. */
  private async onMetadataFailure(error: unknown): Promise<unknown> {
    const now = Date.now();
    if (this.failingSince === 0) this.failingSince = now;
    if (!this.rebootstrapEnabled) return error;
    const trigger = this.options.metadataRecoveryRebootstrapTriggerMs ?? DEFAULT_REBOOTSTRAP_TRIGGER_MS;
    let reason: string | undefined;
    if (isRebootstrapRequired(error)) reason = 'a broker answered REBOOTSTRAP_REQUIRED';
    else if (this.metadata.brokers.size > 0 && now - this.failingSince >= trigger)
      reason = `no metadata could be loaded for ${now - this.failingSince} ms`;
    if (reason === undefined) return error;
    await this.rebootstrap(reason);
    return new KafkaJSError(`Metadata request failed (${reason}); rebootstrapped`, { cause: error });
  }

  /** A Metadata request now (every topic when `topics` is null); also refreshes the cache. */
  metadataFor(topics: string[] | null, options: MetadataRequestOptions = {}): Promise<MetadataResponse> {
    return this.requestMetadata(topics, options);
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
      throw createProtocolError(
        Codes.UNKNOWN_TOPIC_OR_PARTITION,
        `partition ${partition} of "${topic}" is not in the metadata`,
      );
    }
    if (p.leader < 0)
      throw createProtocolError(
        Codes.LEADER_NOT_AVAILABLE,
        `partition ${partition} of "${topic}" has no leader`,
      );
    return p.leader;
  }

  broker(nodeId: number): BrokerMetadata {
    const b = this.metadata.brokers.get(nodeId);
    if (!b) throw new KafkaJSBrokerNotFound(`Broker ${nodeId} is not in the cluster metadata`, { nodeId });
    return b;
  }

  /**
   * A connected connection to a broker by node id, for one purpose. A broker refusing to be that
   * node of this cluster (ApiVersions v5, KIP-1242: the address now belongs to someone else)
   * rebootstraps the client (with `'rebootstrap'`); the caller gets a retriable error either way
   * with `'rebootstrap'`, the typed REBOOTSTRAP_REQUIRED error with `'none'`.
   */
  async connectionTo(nodeId: number, purpose: ConnectionPurpose = 'default'): Promise<Connection> {
    const b = this.broker(nodeId);
    try {
      return await this.pool.get(b.host, b.port, purpose);
    } catch (error) {
      if (!isRebootstrapRequired(error) || !this.rebootstrapEnabled) throw error;
      await this.rebootstrap(`${b.host}:${b.port} is no longer node ${nodeId} of this cluster`);
      await this.refreshMetadata().catch(() => {});
      throw new KafkaJSBrokerNotFound(`Node ${nodeId} moved: ${(error as Error).message}; rebootstrapped`, {
        nodeId,
      });
    }
  }

  /** The connection for a target: a node id, any broker, or the controller (refreshing metadata once when needed). */
  async connectionFor(target: NodeTarget, purpose: ConnectionPurpose = 'default'): Promise<Connection> {
    if (target === 'any') return this.anyConnection();
    if (!this.metadata.loaded) await this.refreshMetadata();
    let nodeId: number;
    if (target === 'controller') {
      nodeId = this.metadata.controllerId;
      if (nodeId < 0 || !this.metadata.brokers.has(nodeId)) {
        await this.refreshMetadata();
        nodeId = this.metadata.controllerId;
      }
      // KRaft brokers forward controller requests; with no controller known any broker will do.
      if (nodeId < 0 || !this.metadata.brokers.has(nodeId)) return this.anyConnection();
    } else {
      nodeId = target;
      if (!this.metadata.brokers.has(nodeId)) await this.refreshMetadata();
    }
    return this.connectionTo(nodeId, purpose);
  }

  /**
   * Sends one request to a node, any broker or the controller. A controller that moved answers
   * NOT_CONTROLLER at the top level of some APIs: the metadata is refreshed before the error
   * goes back to the caller's retry.
   */
  async send<Req, Res>(
    target: NodeTarget,
    api: ApiMessage<Req, Res>,
    body: Req,
    options: PortSendOptions = {},
  ): Promise<Res> {
    const { purpose, ...sendOptions } = options;
    const connection = await this.connectionFor(target, purpose);
    try {
      return await connection.send(api, body, sendOptions);
    } catch (error) {
      if (target === 'controller' && isStaleMetadataError(error))
        await this.refreshMetadata().catch(() => {});
      throw error;
    }
  }

  /** Sends one request to a node by id (`send` with a node target). */
  sendTo<Req, Res>(
    nodeId: number,
    api: ApiMessage<Req, Res>,
    body: Req,
    options: PortSendOptions = {},
  ): Promise<Res> {
    return this.send(nodeId, api, body, options);
  }

  async sendToCoordinator<Req, Res>(
    type: CoordinatorType,
    key: string,
    api: ApiMessage<Req, Res>,
    body: Req,
    options: SendOptions = {},
  ): Promise<Res> {
    const connection = await this.coordinatorConnection(type, key);
    return connection.send(api, body, options);
  }

  async versionFor(
    target: NodeTarget,
    api: ApiMessage<unknown, unknown>,
    purpose: ConnectionPurpose = 'default',
  ): Promise<number> {
    return (await this.connectionFor(target, purpose)).versionFor(api);
  }

  /** Feature levels as one broker reports them now (a fresh ApiVersions request, so levels finalized since the handshake show). */
  async features(target: NodeTarget = 'any'): Promise<ClusterFeatures> {
    return this.featuresOver(await this.connectionFor(target));
  }

  /** Feature levels from the coordinator of a group or transactional id. */
  async coordinatorFeatures(type: CoordinatorType, key: string): Promise<ClusterFeatures> {
    return this.featuresOver(await this.coordinatorConnection(type, key));
  }

  private async featuresOver(connection: Connection): Promise<ClusterFeatures> {
    const response = await connection.send(
      ApiVersions,
      apiVersionsRequest(this.expectedIdentity(connection.host, connection.port)),
    );
    if (response.errorCode !== Codes.NONE)
      throw createProtocolError(response.errorCode, `ApiVersions from ${connection.broker}`);
    return featuresOf(response);
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

  async coordinator(type: CoordinatorType, key: string): Promise<number> {
    return (await this.findCoordinator(type, key)).nodeId;
  }

  forgetCoordinator(type: CoordinatorType, key: string): void {
    this.coordinators.invalidate(type, key);
  }

  /** A connection to the coordinator (default purpose). */
  async coordinatorConnection(type: CoordinatorType, key: string): Promise<Connection> {
    const c = await this.findCoordinator(type, key);
    return this.connectionTo(c.nodeId);
  }
}

/** In random order, so that clients spread out over the brokers. */
function shuffle<T>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, r: Math.random() }))
    .sort((a, b) => a.r - b.r)
    .map(({ item }) => item);
}
