import { Readable } from 'node:stream';
import { KafkaJSError } from '../errors/base.js';
import { KafkaJSInvalidArgument } from '../errors/network.js';
import { describeClassic } from '../group/describe.js';
import { toServerRegex } from '../group/topic-regex.js';
import {
  type ClientEventListener,
  ClientEvents,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import { InstrumentationEmitter } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import { Cluster } from '../network/cluster.js';
import type { ConsumerMetricsSnapshot } from '../observability/metrics.js';
import { ConsumerGroupDescribe, DescribeGroups } from '../protocol/messages/index.js';
import { AssignmentHandler } from './assignment-handler.js';
import { ClusterAdapter } from './cluster-adapter.js';
import type { ConsumerCluster, ConsumerContext } from './context.js';
import { ConsumerCore, type RebalanceListener } from './core.js';
import { Codes, KafkaJSProtocolError } from './errors.js';
import { CONSUMER_EVENTS, type ConsumerEventName, type ConsumerEvents } from './events.js';
import { Fetcher } from './fetcher.js';
import { awaitFirstJoin } from './first-join.js';
import { createGroupMembership } from './group/factory.js';
import type { GroupMembership } from './group/membership.js';
import { OffsetTracker, parseOffset } from './offsets.js';
import { type ConsumerOptions, type ResolvedConsumerOptions, resolveConsumerOptions } from './options.js';
import type { KafkaMessage } from './payloads.js';
import { chooseGroupProtocol } from './protocol-choice.js';
import {
  BatchRunner,
  consumerMetrics,
  type EachBatchHandler,
  type EachMessageHandler,
  HandlerFailure,
} from './runner.js';
import { sleep } from './signal.js';
import { SubscriptionState, type TopicPartition, tpKey } from './subscription-state.js';
import { TopicCatalog } from './topic-catalog.js';

/** Argument of `consumer.subscribe()`. */
export interface ConsumerSubscribeTopics {
  /** Topic names or regular expressions matched against the cluster's topics. */
  topics?: Array<string | RegExp>;
  /** KafkaJS's older single-topic form. */
  topic?: string | RegExp;
  /**
   * Start from the earliest offset where the group has no committed offset (default false: from the
   * latest).
   */
  fromBeginning?: boolean;
}

/** Argument of `consumer.run()`: the handler and how offsets are committed. */
export interface ConsumerRunConfig<K = Buffer | null, V = Buffer | null> {
  /** Called for each message, in offset order per partition; the offset is resolved when it returns. */
  eachMessage?: EachMessageHandler<K, V>;
  /** Called for each fetched batch of a partition; takes precedence over eachMessage when both are set. */
  eachBatch?: EachBatchHandler<K, V>;
  /** Partitions whose handlers may run at the same time (default 1). */
  partitionsConsumedConcurrently?: number;
  /** Commit resolved offsets automatically (default true). */
  autoCommit?: boolean;
  /** Commit when this many milliseconds have passed since the last commit (default null: not time based). */
  autoCommitInterval?: number | null;
  /**
   * Commit when this many offsets were resolved since the last commit (default null: not count based);
   * with both null, commits after each batch.
   */
  autoCommitThreshold?: number | null;
  /** Resolve the batch's last offset when eachBatch returns without throwing (default true). */
  eachBatchAutoResolve?: boolean;
  /** kafkats: stops the consumer when aborted. */
  signal?: AbortSignal;
  /** kafkats: called around assignment changes. */
  rebalanceListener?: RebalanceListener;
  /** Whether to restart after a crash (KafkaJS's `retry.restartOnFailure` works too); default: yes for retriable errors. */
  restartOnFailure?: (error: Error) => Promise<boolean>;
}

/** One message from `for await (const m of consumer)`. */
export interface ConsumedMessage {
  /** Topic of the message. */
  topic: string;
  /** Partition of the message. */
  partition: number;
  /** The message. */
  message: KafkaMessage;
}

/** Result of `consumer.describeGroup()`: the consumer's own group as the coordinator describes it. */
export interface GroupDescription {
  /** The group id. */
  groupId: string;
  /** Kafka error code of the description; 0 on success. */
  errorCode: number;
  /** Group state as the broker names it: `Stable`, `Empty`, `PreparingRebalance`, ... */
  state: string;
  /** Protocol type, `consumer` for consumer groups. */
  protocolType: string;
  /** Assignment strategy the group chose (e.g. `RoundRobinAssigner`). */
  protocol: string;
  /** The group's members. */
  members: Array<{
    /** Member id the coordinator assigned. */
    memberId: string;
    /** `client.id` of the member's client. */
    clientId: string;
    /** Host the member connects from. */
    clientHost: string;
    /** The member's subscription, encoded as the ConsumerProtocol subscription. */
    memberMetadata: Buffer;
    /** The member's assignment, encoded as the ConsumerProtocol assignment. */
    memberAssignment: Buffer;
  }>;
}

/**
 * The consumer: KafkaJS's surface (`subscribe`, `run({ eachMessage | eachBatch })`, `seek`,
 * `pause`, `commitOffsets`, instrumentation events) over a per-broker fetcher and the classic
 * or KIP-848 group protocol; plus `assign()` without a group, async iteration, rebalance
 * listeners and AbortSignal.
 */
export class Consumer<K = Buffer | null, V = Buffer | null> {
  /** The consumer's event names, for `consumer.on(consumer.events.GROUP_JOIN, ...)`. */
  readonly events = CONSUMER_EVENTS;
  private readonly core: ConsumerCore;
  private readonly handler: AssignmentHandler;
  private readonly log: Logger;
  private readonly options: ResolvedConsumerOptions;
  private connected = false;
  private running = false;
  private manual = false;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private metadataTimer: NodeJS.Timeout | undefined;
  /** While run() waits for its first join: ends the wait (stop() resolves it, a fatal error rejects it). */
  private interruptJoin: { stop(): void; fail(e: Error): void } | undefined;
  /** Neither groupProtocol nor partitionAssigners given: the protocol is ours to change. */
  private protocolChosenByDefault = false;
  private readonly restartOnFailure: ((error: Error) => Promise<boolean>) | undefined;
  private readonly allowAutoTopicCreation: boolean;
  /** run()'s configuration, kept so that a crash can restart the consumer with it (as KafkaJS does). */
  private runConfig: ConsumerRunConfig<K, V> | undefined;
  /** From run() until the loop runs (the first join): a second run() meanwhile is ignored too. */
  private starting = false;
  /** A restart scheduled after a crash; stop() and disconnect() cancel it. */
  private restartTimer: NodeJS.Timeout | undefined;

  private readonly context: ConsumerContext & { cluster: ConsumerCluster };

  /** @internal Use `kafka.consumer()`. */
  constructor(context: ConsumerContext, options: ConsumerOptions<K, V> = {}) {
    this.context = {
      ...context,
      cluster:
        context.cluster instanceof Cluster
          ? new ClusterAdapter(context.cluster, options.allowAutoTopicCreation ?? true)
          : context.cluster,
    };
    // The consumer's own retry options win over the client's (KafkaJS merges them the same way).
    this.options = resolveConsumerOptions({ ...options, retry: { ...context.retry, ...options.retry } });
    this.restartOnFailure = options.retry?.restartOnFailure ?? context.retry?.restartOnFailure;
    this.allowAutoTopicCreation = options.allowAutoTopicCreation ?? true;
    this.log = context.logger.namespace('Consumer');
    this.core = new ConsumerCore(
      this.context.cluster,
      new TopicCatalog(),
      new SubscriptionState(),
      this.options,
      new InstrumentationEmitter<ConsumerEvents>(),
      this.log,
    );
    this.handler = new AssignmentHandler(this.core, context.logger.namespace('ConsumerGroup'));
    this.handler.onFatal((e) => void this.crash(e));
    context.instrumentation?.on('network.request', (e) =>
      this.core.emit('consumer.network.request', e.payload as never),
    );
    context.instrumentation?.on('network.request_timeout', (e) =>
      this.core.emit('consumer.network.request_timeout', e.payload as never),
    );
  }

  /** Listens to a KafkaJS consumer event (`consumer.group_join`, …); returns the remover. */
  on<E extends ConsumerEventName>(
    eventName: E,
    listener: ClientEventListener<ConsumerEvents, E>,
  ): RemoveInstrumentationEventListener<E> {
    return new ClientEvents<ConsumerEvents>('consumer', Object.values(CONSUMER_EVENTS), this.core.emitter).on(
      eventName,
      listener,
    );
  }

  /**
   * Connects (again after disconnect(), as KafkaJS allows) and emits CONNECT once per call that
   * connects. KafkaJS also emits a second CONNECT when run() starts its group; kafkats emits one
   * from run() only when run() had to connect (no connect() before it, or a restart after a crash).
   */
  async connect(): Promise<void> {
    if (this.connected) return;
    await this.context.cluster.connect();
    this.connected = true;
    this.context.telemetry?.start();
    this.core.emit('consumer.connect', {});
  }

  /** As KafkaJS: stops, disconnects, and emits DISCONNECT (also when it was not connected). */
  async disconnect(): Promise<void> {
    await this.stop();
    if (this.connected) {
      await this.context.telemetry?.close();
      this.connected = false;
      await this.context.cluster.disconnect();
    }
    this.core.emit('consumer.disconnect', {});
  }

  /** Adds topics (names or regular expressions) to the subscription; call before `run()`. */
  async subscribe(subscription: ConsumerSubscribeTopics): Promise<void> {
    if (this.running) {
      throw new KafkaJSError('Cannot subscribe to a topic while the consumer is running; stop() it first', {
        retriable: false,
      });
    }
    if (this.options.groupId === undefined) {
      throw new KafkaJSInvalidArgument(
        'groupId',
        'subscribe() needs a groupId; use assign() to consume without a group',
      );
    }
    const topics = subscription.topics ?? (subscription.topic !== undefined ? [subscription.topic] : []);
    if (topics.length === 0)
      throw new KafkaJSInvalidArgument('topics', 'subscribe() needs at least one topic');
    for (const t of topics) {
      if (!(typeof t === 'string' && t.length > 0) && !(t instanceof RegExp)) {
        throw new KafkaJSInvalidArgument(
          'topics',
          `each topic must be a non-empty string or a RegExp, got ${String(t)}`,
        );
      }
      // Under KIP-848 a pattern goes to the broker (RE2/J): refuse one it cannot take now, not at the join.
      if (t instanceof RegExp && this.options.groupProtocol === 'consumer') toServerRegex(t);
      this.core.subscriptions.push({ topic: t, fromBeginning: subscription.fromBeginning ?? false });
    }
    // Before connect() the metadata is loaded by run().
    if (this.connected) await this.core.refreshMetadata();
  }

  /** kafkats: consume these partitions without a consumer group (no rebalancing). */
  assign(partitions: Array<{ topic: string; partitions: number[] }>): void {
    if (this.core.subscriptions.length > 0) {
      throw new KafkaJSError('assign() cannot be mixed with subscribe() on one consumer', {
        retriable: false,
      });
    }
    this.manual = true;
    const list = partitions.flatMap((p) => p.partitions.map((partition) => ({ topic: p.topic, partition })));
    const { added, removed } = this.core.state.replace(list);
    this.core.tracker?.forget(removed);
    if (this.running) void this.positionManual(added);
    this.core.fetcher?.purge();
  }

  private async positionManual(added: TopicPartition[]): Promise<void> {
    try {
      const topics = [...new Set(added.map((p) => p.topic))];
      if (topics.length > 0) this.core.catalog.update(await this.context.cluster.metadata(topics));
      await this.handler.initializePositions(added);
      this.core.fetcher?.notify();
    } catch (e) {
      void this.crash(e as Error);
    }
  }

  /**
   * Starts consuming. As in KafkaJS, resolves once the member has joined the group and received
   * its assignment (GROUP_JOIN emitted, positions fixed), so that records produced from then on
   * are consumed even with `fromBeginning: false`. Rejects when the join cannot complete:
   * at once with the broker's error when waiting cannot help (authorization), else after
   * `joinTimeout` with {@link KafkaJSGroupJoinTimeout} naming the last cause; the consumer is then
   * stopped (STOP, then CRASH) and may run again.
   */
  async run(config: ConsumerRunConfig<K, V> = {}): Promise<void> {
    if (this.running || this.starting) {
      // KafkaJS ignores a second run() (its handlers too) with this warning.
      this.log.warn('consumer#run was called, but the consumer is already running', {
        groupId: this.options.groupId,
      });
      return;
    }
    if (!config.eachMessage && !config.eachBatch) {
      throw new KafkaJSInvalidArgument('eachMessage', 'run() needs an eachMessage or an eachBatch handler');
    }
    const concurrency = config.partitionsConsumedConcurrently ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new KafkaJSInvalidArgument('partitionsConsumedConcurrently', 'must be an integer of at least 1');
    }
    this.requireSubscription();
    this.cancelRestart();
    this.runConfig = config;
    await this.startRun(config, true);
  }

  /**
   * Starts the consumer with run()'s configuration: connect if needed, join, start the loop.
   * From run() (`fromRun`) a failed first join rejects (the crash sequence runs first, without a
   * restart); from a restart after a crash it goes through the crash sequence again, which
   * restarts once more when the error is retriable (KafkaJS's behaviour).
   */
  private async startRun(config: ConsumerRunConfig<K, V>, fromRun: boolean): Promise<void> {
    const groupId = this.options.groupId;
    const concurrency = config.partitionsConsumedConcurrently ?? 1;
    this.log.info('Starting', { groupId });
    const deadline = Date.now() + this.options.joinTimeout;
    // Listening for the first join's metrics before it happens.
    const runner = new BatchRunner(
      this.core,
      {
        eachMessage: config.eachMessage as EachMessageHandler | undefined,
        eachBatch: config.eachBatch as EachBatchHandler | undefined,
        partitionsConsumedConcurrently: concurrency,
        eachBatchAutoResolve: config.eachBatchAutoResolve ?? true,
      },
      () => this.running,
    );
    this.starting = true;
    try {
      await this.start(config);
      if (this.core.group && groupId !== undefined && this.running) {
        try {
          await this.firstJoin(groupId, deadline);
        } catch (e) {
          if (!this.fallBackToClassic(e)) throw e;
          await this.firstJoin(groupId, deadline);
        }
      }
    } catch (e) {
      this.interruptJoin = undefined;
      this.starting = false;
      await this.crashSequence(e as Error, { mayRestart: !fromRun, retryCount: 0 });
      if (fromRun) throw e;
      return;
    }
    this.interruptJoin = undefined;
    this.starting = false;
    // stop() (or the signal) while joining: run() resolves, as KafkaJS's does after a stop.
    if (!this.running) return;
    this.loop = this.runLoop(runner, concurrency);
  }
  private async firstJoin(groupId: string, deadline: number): Promise<void> {
    const interrupted = new Promise<void>((resolve, reject) => {
      this.interruptJoin = { stop: resolve, fail: reject };
    });
    interrupted.catch(() => {});
    await awaitFirstJoin(this.core, {
      groupId,
      deadline,
      timeoutMs: this.options.joinTimeout,
      allowAutoTopicCreation: this.allowAutoTopicCreation,
      interrupted,
      running: () => this.running,
    });
  }

  /**
   * KIP-848 chosen by default, and the broker answers that the group is a classic group it will
   * not convert (Kafka 3.x with the new protocol enabled, or a 4.x migration policy that forbids
   * it): the group's other members (KafkaJS, Java, older kafkats) are classic, so this member
   * joins as classic too instead of failing. True when it switched.
   */
  private fallBackToClassic(error: unknown): boolean {
    const group = this.core.group;
    if (
      !this.running ||
      !this.protocolChosenByDefault ||
      group?.protocol !== 'consumer' ||
      !(error instanceof KafkaJSProtocolError) ||
      error.code !== Codes.GROUP_ID_NOT_FOUND
    ) {
      return false;
    }
    this.log.info('Using the classic group protocol because the group is a classic group', {
      groupId: this.options.groupId,
      error: error.message,
    });
    group.close();
    this.core.group = this.createGroup('classic');
    return true;
  }

  private requireSubscription(): void {
    if (!this.manual && this.core.subscriptions.length === 0) {
      throw new KafkaJSError(
        'Subscribe to at least one topic (or assign() partitions) before running the consumer',
        { retriable: false },
      );
    }
  }

  /**
   * KafkaJS's crash sequence (its consumer's `onCrash`): "Crash: …" logged at ERROR; the consumer
   * stopped (STOP, "Stopped") and disconnected (DISCONNECT); then CRASH with `restart`, which is
   * true when the error is retriable and `retry.restartOnFailure` (run()'s or the client's) does
   * not say no (a callback that throws counts as yes, as in KafkaJS). A restart reconnects and
   * joins the group again after `retry.initialRetryTime`, with run()'s handlers. Not awaited from
   * inside the run loop: stop() waits for that loop to end.
   */
  private async crashSequence(
    error: Error,
    how: { mayRestart: boolean; retryCount: number; retriable?: boolean },
  ): Promise<void> {
    const groupId = this.options.groupId;
    this.log.error(`Crash: ${error.name}: ${error.message}`, {
      groupId,
      retryCount: how.retryCount,
      stack: error.stack,
    });
    await this.disconnect().catch((e: Error) =>
      this.log.error(`Caught error when disconnecting the consumer: ${e.message}`, {
        groupId,
        stack: e.stack,
      }),
    );
    const config = this.runConfig;
    const decide = config?.restartOnFailure ?? this.restartOnFailure;
    const restart =
      how.mayRestart &&
      config !== undefined &&
      (how.retriable ?? isRetriable(error)) &&
      (decide === undefined ||
        (await decide(error).catch((e: unknown) => {
          this.log.error(
            'Caught error when invoking user-provided "restartOnFailure" callback. Defaulting to restarting.',
            { error: (e as Error)?.message ?? String(e), cause: error.message, groupId },
          );
          return true;
        })));
    this.core.emit('consumer.crash', { error, groupId, restart });
    if (!restart || config === undefined) return;
    const retryTime = this.options.initialRetryTime;
    this.log.error(`Restarting the consumer in ${retryTime}ms`, {
      retryCount: how.retryCount,
      retryTime,
      groupId,
    });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.running || this.starting) return;
      void this.startRun(config, false);
    }, retryTime);
  }

  private cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private async start(config: ConsumerRunConfig<K, V>): Promise<void> {
    this.requireSubscription();
    if (!this.connected) await this.connect();
    this.handler.beginRun();
    this.core.tracker = new OffsetTracker({
      autoCommit: config.autoCommit ?? true,
      autoCommitInterval: config.autoCommitInterval ?? null,
      autoCommitThreshold: config.autoCommitThreshold ?? null,
    });
    this.core.rebalanceListener = config.rebalanceListener;
    this.core.fetcher = new Fetcher(
      this.context.cluster,
      this.core.state,
      this.core.catalog,
      {
        minBytes: this.options.minBytes,
        maxBytes: this.options.maxBytes,
        maxBytesPerPartition: this.options.maxBytesPerPartition,
        maxWaitTimeInMs: this.options.maxWaitTimeInMs,
        isolationLevel: this.options.readUncommitted ? 'read_uncommitted' : 'read_committed',
        maxBufferedBatches: this.options.maxBufferedBatches,
        requestTimeout: this.options.requestTimeout,
        rackId: this.options.rackId,
        preferredReplicaTtlMs: this.options.metadataMaxAge,
        maxDecompressedBatchBytes: this.options.maxDecompressedBatchBytes,
      },
      {
        onFetchStart: (nodeId) => this.core.emit('consumer.fetch_start', { nodeId }),
        onFetch: (info) => this.core.emit('consumer.fetch', info),
        onFatal: (e) => void this.crash(e),
        resetPolicy: (topic) => this.core.resetPolicy(topic),
        refreshMetadata: () => this.core.refreshMetadata(),
      },
      this.log,
    );
    this.running = true;
    if (!this.manual) {
      await this.core.refreshMetadata();
      this.protocolChosenByDefault = this.options.groupProtocol === undefined && !this.options.assignersGiven;
      this.core.group = this.createGroup(
        await chooseGroupProtocol(this.context.cluster, this.options, this.log),
      );
    } else await this.positionManual(this.core.state.assigned());
    this.core.fetcher.start();
    if (config.signal?.aborted) void this.stop();
    else config.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.scheduleMetadataRefresh();
  }

  private createGroup(protocol: 'classic' | 'consumer'): GroupMembership {
    return createGroupMembership(protocol, this.core, this.handler, this.log);
  }

  /** Periodic metadata refresh: a new topic matching a pattern, or more partitions, means a rejoin. */
  private scheduleMetadataRefresh(): void {
    const interval = Math.min(
      this.options.metadataMaxAge,
      this.core.subscriptions.some((s) => typeof s.topic !== 'string') ? 10_000 : this.options.metadataMaxAge,
    );
    this.metadataTimer = setInterval(() => {
      if (!this.running) return;
      const counts = () =>
        this.core
          .subscribedTopics()
          .map((t) => `${t}:${this.core.catalog.partitionCount(t)}`)
          .join(',');
      const before = counts();
      this.core
        .refreshMetadata()
        .then(() => {
          const now = counts();
          if (now !== before && this.core.group) this.core.group.requestRejoin('subscribed topics changed');
        })
        .catch((e) => this.log.warn('Metadata refresh failed', { error: (e as Error).message }));
    }, interval);
  }

  private async runLoop(runner: BatchRunner, concurrency: number): Promise<void> {
    const fetcher = this.core.fetcher!;
    let failures = 0;
    while (this.running) {
      try {
        if (this.core.group) {
          await this.core.group.ensureActive();
          if (!this.running) break;
          if (this.core.group.needsRejoin) continue;
        }
        runner.pollStarted();
        const batches = await fetcher.poll(concurrency, 200);
        runner.pollEnded();
        // Every batch finishes (or fails) before the loop moves on, so a failure never leaves
        // another partition's handler running behind the backoff.
        const results = await Promise.allSettled(batches.map((b) => runner.process(b)));
        if (this.core.tracker!.shouldAutoCommit()) await runner.autoCommit();
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        // Only records handled count as success: an empty poll while the failed batch is being
        // fetched again must not reset the retry count.
        if (batches.length > 0) failures = 0;
      } catch (e) {
        if (!this.running) break;
        failures++;
        const error = e instanceof HandlerFailure ? (e.cause as Error) : (e as Error);
        // A handler's error is retried like KafkaJS's retrier does: unless it says retriable: false
        // or is a programming error (TypeError, …), which crashes at once.
        const retriable = e instanceof HandlerFailure ? handlerErrorRetriable(error) : isRetriable(error);
        this.log.error('Error while consuming', { error: error?.message, failures, retriable });
        if (!retriable || failures > this.options.retries) {
          // Retries spent count as retriable for the restart (KafkaJS's KafkaJSNumberOfRetriesExceeded).
          void this.crashSequence(error, { mayRestart: true, retryCount: failures - 1, retriable });
          break;
        }
        const backoff = Math.min(this.options.initialRetryTime * 2 ** failures, this.options.maxRetryTime);
        await sleep(backoff);
      }
    }
    this.context.logger.namespace('Runner').info('consumer not running, exiting', {
      groupId: this.options.groupId,
      memberId: this.core.group?.identity().memberId,
    });
  }

  /** A fatal error from the fetcher or the group: fails the first join, or crashes the running consumer. */
  private async crash(error: Error): Promise<void> {
    if (this.interruptJoin) {
      this.interruptJoin.fail(error);
      return;
    }
    if (!this.running) return;
    await this.crashSequence(error, { mayRestart: true, retryCount: 0 });
  }

  /** kafkats: records/s, batch sizes, lag per partition, commits, rebalances (docs/observability.md). */
  /** KafkaJS's `consumer.logger()`: the consumer's logger (namespace `Consumer`). */
  logger(): Logger {
    return this.log;
  }

  /** kafkats: a snapshot of the consumer's counters: records/s, fetch latency, lag per partition (see docs/observability.md). */
  metrics(): ConsumerMetricsSnapshot {
    return consumerMetrics(this.core);
  }

  /** As KafkaJS: STOP when it was running, and the "Stopped" INFO line on every call. */
  async stop(): Promise<void> {
    this.cancelRestart();
    if (!this.running) {
      await this.stopping;
      this.log.info('Stopped', { groupId: this.options.groupId });
      return;
    }
    this.stopping = (async () => {
      this.running = false;
      this.interruptJoin?.stop();
      if (this.metadataTimer) clearInterval(this.metadataTimer);
      await this.core.fetcher?.stop();
      await this.loop?.catch(() => {});
      const tracker = this.core.tracker;
      if (tracker && this.options.groupId !== undefined) {
        const pending = tracker.uncommitted();
        if (pending.length > 0 && tracker.autoCommit) {
          await this.core
            .commit(pending)
            .catch((e) => this.log.warn('Final commit failed', { error: (e as Error).message }));
        }
      }
      await this.core.group?.leave();
      this.core.group = undefined;
      this.core.state.clear();
      this.core.emit('consumer.stop', {});
    })();
    await this.stopping;
    this.log.info('Stopped', { groupId: this.options.groupId });
  }

  /** KafkaJS's commitOffsets: commits exactly these offsets (the next offset to read). */
  async commitOffsets(
    offsets: Array<{ topic: string; partition: number; offset: string; metadata?: string | null }>,
  ): Promise<void> {
    if (this.options.groupId === undefined)
      throw new KafkaJSError('commitOffsets() needs a groupId', { retriable: false });
    await this.core.commit(
      offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: parseOffset(o.offset),
        metadata: o.metadata,
      })),
    );
  }

  /** KafkaJS's seek: the next record read from the partition is at `offset`. */
  seek({ topic, partition, offset }: { topic: string; partition: number; offset: string | number }): void {
    const o = parseOffset(offset);
    if (o < 0) throw new KafkaJSInvalidArgument('offset', `must be zero or more, got ${offset}`);
    const s = this.core.state.get(topic, partition);
    if (!s) {
      this.core.pendingSeeks.set(tpKey(topic, partition), o);
      return;
    }
    s.seek(o);
    this.core.tracker?.setNextOffset(topic, partition, o);
    this.core.fetcher?.purge();
  }

  /** Stops fetching the given topics (or some of their partitions) until `resume()`; their position is kept. */
  pause(topics: Array<{ topic: string; partitions?: number[] }>): void {
    this.core.state.pause(topics);
  }

  /** Fetches paused topics or partitions again. */
  resume(topics: Array<{ topic: string; partitions?: number[] }>): void {
    this.core.state.resume(topics);
    this.core.fetcher?.notify();
  }

  /** The topics and partitions paused now. */
  paused(): Array<{
    /** A topic with paused partitions. */
    topic: string;
    /** Its paused partitions. */
    partitions: number[];
  }> {
    return this.core.state.paused();
  }

  /** kafkats: the partitions this consumer is assigned now. */
  assignment(): TopicPartition[] {
    return this.core.state.assigned().map(({ topic, partition }) => ({ topic, partition }));
  }

  /** This consumer's group: state, protocol and members (KafkaJS's `consumer.describeGroup()`). */
  async describeGroup(): Promise<GroupDescription> {
    const groupId = this.options.groupId;
    if (groupId === undefined)
      throw new KafkaJSError('describeGroup() needs a groupId', { retriable: false });
    const cluster = this.context.cluster;
    const node = await cluster.coordinator(groupId);
    // DescribeGroups, or a KIP-848 group's classic view (group/describe.ts, shared with the admin).
    const [d] = await describeClassic(
      {
        describeGroups: (groups) => cluster.send(node, 'default', DescribeGroups, { groups }),
        consumerGroupDescribe: (groupIds) =>
          cluster.send(node, 'default', ConsumerGroupDescribe, {
            groupIds,
            includeAuthorizedOperations: false,
          }),
      },
      [groupId],
    );
    // KafkaJS's describeGroup resolves with the broker's error code rather than rejecting.
    const view = d && ('value' in d ? d.value : d.partial);
    if (!view) throw new KafkaJSError(`DescribeGroups did not describe ${groupId}`);
    const { members, ...rest } = view;
    return { ...rest, members: members.map(({ groupInstanceId: _, ...m }) => m) };
  }

  /**
   * kafkats: `for await (const { topic, partition, message } of consumer)`. A message counts as
   * processed when the next one is asked for; offsets are committed after each batch (or on
   * the auto-commit schedule given to no one: every batch). Breaking out stops the consumer.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<ConsumedMessage, void, undefined> {
    // A crash ends the iteration: nothing to restart with.
    this.runConfig = undefined;
    await this.start({});
    const runner = new BatchRunner(
      this.core,
      { partitionsConsumedConcurrently: 1, eachBatchAutoResolve: true },
      () => this.running,
    );
    try {
      while (this.running) {
        if (this.core.group) {
          await this.core.group.ensureActive();
          if (this.core.group.needsRejoin) continue;
        }
        runner.pollStarted();
        const [b] = await this.core.fetcher!.poll(1, 200);
        runner.pollEnded();
        if (!b) continue;
        for (const r of b.records) {
          const s = this.core.state.get(b.topic, b.partition);
          if (
            !this.running ||
            !s ||
            s.epoch !== b.partitionEpoch ||
            this.core.state.isPaused(b.topic, b.partition)
          ) {
            if (s && s.epoch === b.partitionEpoch) {
              s.seek(r.offset);
              this.core.fetcher!.purge();
            }
            break;
          }
          const message = runner.messageFor(b, r);
          if (message !== undefined) yield { topic: b.topic, partition: b.partition, message };
          this.core.tracker!.resolveOffset(b.topic, b.partition, r.offset, b.leaderEpoch);
        }
        if (this.core.tracker!.shouldAutoCommit()) await runner.autoCommit();
      }
    } finally {
      await this.stop();
    }
  }

  /**
   * kafkats: the consumer as a Node Readable in object mode, yielding `{ topic, partition, message }`.
   * The stream holds one message: the next is pulled from the consumer only when the reader has
   * taken the previous one, which then counts as processed (committed on the auto-commit
   * schedule). A reader that stops reading stops the pulling, the fetch buffer fills and fetching
   * pauses. `destroy()` (or aborting `signal`) commits what the reader took and stops the consumer;
   * `destroy(error)` — what `pipeline` does when a later stage fails — leaves the message the
   * reader was given last uncommitted, so it is delivered again.
   */
  stream(options: { signal?: AbortSignal } = {}): Readable {
    const messages = this[Symbol.asyncIterator]();
    let last: ConsumedMessage | undefined;
    const stream = new Readable({
      objectMode: true,
      highWaterMark: 1,
      signal: options.signal,
      read: () => {
        messages.next().then(
          (r) => {
            if (r.done) stream.push(null);
            else {
              last = r.value;
              stream.push(r.value);
            }
          },
          (e: Error) => stream.destroy(e),
        );
      },
      destroy: (error, done) => {
        if (!error && last && stream.readableLength === 0 && this.core.tracker) {
          this.core.tracker.resolveOffset(last.topic, last.partition, parseOffset(last.message.offset));
        }
        // stop() ends the iterator's loop even while it waits for records; return() then
        // finds it finished.
        this.stop()
          .then(() => messages.return())
          .then(
            () => done(error),
            (e: Error) => done(error ?? e),
          );
      },
    });
    return stream;
  }
}

/** KafkaJS's test for a crash that may restart: the error, or the cause it wraps, says retriable. */
function isRetriable(error: Error): boolean {
  let e: unknown = error;
  for (let depth = 0; (e as { cause?: unknown })?.cause instanceof Error && depth < 10; depth++) {
    e = (e as { cause: unknown }).cause;
  }
  return (
    (e as { retriable?: unknown })?.retriable === true || error.name === 'KafkaJSNumberOfRetriesExceeded'
  );
}

/** Programming errors are not retried by KafkaJS's retrier (nor anything marked `retriable: false`). */
const UNRECOVERABLE = new Set(['RangeError', 'ReferenceError', 'SyntaxError', 'TypeError']);

function handlerErrorRetriable(error: Error): boolean {
  if (error === null || typeof error !== 'object') return true;
  return (error as { retriable?: unknown }).retriable !== false && !UNRECOVERABLE.has(error.name);
}

/** Builds a consumer over the `Kafka` instance's network context. */
export function createConsumer<K = Buffer | null, V = Buffer | null>(
  context: ConsumerContext,
  options: ConsumerOptions<K, V> = {},
): Consumer<K, V> {
  return new Consumer<K, V>(context, options);
}
