import type tls from 'node:tls';
import { createAdmin } from './admin/admin.js';
import type { Admin, AdminConfig } from './admin/index.js';
import { throughKafkajsFactory } from './compat/kafkajs-factories.js';
import { type Consumer, type ConsumerOptions, createConsumer } from './consumer/index.js';
import { KafkaJSInvalidArgument } from './errors/network.js';
import { InstrumentationEmitter } from './instrumentation/events.js';
import {
  createLogger,
  type ExternalLogger,
  type LogCreator,
  type Logger,
  type LogLevel,
  logLevel,
  redact,
} from './logger.js';
import { type BrokersOption, Cluster, type MetadataRecoveryStrategy } from './network/cluster.js';
import type { ConnectionPurpose, SocketFactory } from './network/connection.js';
import { type RetryOptions, validateRetryOptions } from './network/retry.js';
import { validateSaslOptions } from './network/sasl/index.js';
import type { SaslConfig } from './network/sasl/types.js';
import { createProducer, type Producer, type ProducerOptions } from './producer/index.js';
import type { RawMessageData } from './producer/message.js';
import { createShareConsumer, type ShareConsumer, type ShareConsumerOptions } from './share/index.js';
import { consumerTelemetry, producerTelemetry } from './telemetry/client-telemetry.js';

/** The options of `new Kafka(config)`: where the brokers are, how to connect and authenticate, retries and logging. */
export interface KafkaConfig {
  /** Sent with every request (brokers log it and apply quotas by it). Default `kafkats`. */
  clientId?: string;
  /** Bootstrap brokers as `host:port` strings, or a function (possibly async) that returns them. */
  brokers: BrokersOption;
  /** `true` for TLS with Node's defaults, or Node TLS options (ca, cert, key, passphrase, servername, rejectUnauthorized, …). */
  ssl?: boolean | tls.ConnectionOptions;
  /** SASL authentication: PLAIN, SCRAM-SHA-256/512, OAUTHBEARER, AWS, or a custom mechanism (see docs/security.md). */
  sasl?: SaslConfig;
  /** Milliseconds to open a socket. Default 1000. */
  connectionTimeout?: number;
  /** Milliseconds for the ApiVersions + SASL handshake. Default 10000. */
  authenticationTimeout?: number;
  /** Re-authenticate at least this long before the SASL session ends. Default 10000. */
  reauthenticationThreshold?: number;
  /** Milliseconds to wait for an answer. Default 30000. */
  requestTimeout?: number;
  /** When false, requests wait for their answer however long it takes (no timeout at all). Default true. */
  enforceRequestTimeout?: boolean;
  /** KafkaJS's retry options for every client; each client's own `retry` overrides them. */
  retry?: RetryOptions;
  /** The least severe level logged. Default `logLevel.INFO`. */
  logLevel?: LogLevel;
  /** KafkaJS's logger factory: gets the level, returns the function that writes each entry. */
  logCreator?: LogCreator;
  /** A pino-compatible logger, instead of `logCreator`. */
  logger?: ExternalLogger;
  /** Opens the socket to a broker yourself (a proxy, a custom TLS setup); by default `net`/`tls`. */
  socketFactory?: SocketFactory;
  /** Connections idle for longer are closed. Default 9 minutes. */
  connectionsMaxIdleMs?: number;
  /** Metadata older than this is refreshed. Default 5 minutes. */
  metadataMaxAge?: number;
  /** Requests written to one connection and not yet answered; more wait in a queue. Default unlimited. */
  maxInFlightRequests?: number;
  /**
   * What a client does when it loses the cluster it knew (Java's `metadata.recovery.strategy`,
   * KIP-899): `'rebootstrap'` (default, as Java 4.x) forgets every broker and starts again from
   * `brokers` when no known broker can be reached, when a broker answers REBOOTSTRAP_REQUIRED,
   * or when a known address now belongs to another cluster (ApiVersions v5, KIP-1242); `'none'`
   * keeps to the known brokers and lets requests fail with typed errors.
   */
  metadataRecoveryStrategy?: MetadataRecoveryStrategy;
  /**
   * With `'rebootstrap'`: rebootstrap when no metadata could be loaded for this many ms, even if
   * a known broker still accepts connections (Java's `metadata.recovery.rebootstrap.trigger.ms`,
   * KIP-1102). Default 300000.
   */
  metadataRecoveryRebootstrapTriggerMs?: number;
  /**
   * Push producer and consumer metrics to the broker when the operator subscribed to them
   * (KIP-714, Java's `enable.metrics.push`). Default true; a client's own option wins.
   */
  enableMetricsPush?: boolean;
}

export interface ClusterFactoryOptions {
  allowAutoTopicCreation?: boolean;
  maxInFlightRequests?: number;
  purposeOptions?: Partial<Record<ConnectionPurpose, { maxInFlightRequests?: number }>>;
  metadataMaxAge?: number;
  /**
   * Where this cluster's connections publish `network.*` events. Each client passes its own so
   * that a producer's listeners see only the producer's requests; defaults to the Kafka
   * instance's shared emitter.
   */
  instrumentation?: InstrumentationEmitter;
}

function checkNumber(config: KafkaConfig, key: keyof KafkaConfig, min = 0): void {
  const v = config[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min) {
    throw new KafkaJSInvalidArgument(
      key,
      `expected a number >= ${min}, got ${typeof v === 'number' ? v : typeof v}`,
    );
  }
}

/** Throws a {@link KafkaJSInvalidArgument} naming the first bad option. */
export function validateKafkaConfig(config: KafkaConfig): void {
  if (typeof config !== 'object' || config === null)
    throw new KafkaJSInvalidArgument('config', 'expected an object');
  const brokers = config.brokers;
  if (typeof brokers !== 'function') {
    if (!Array.isArray(brokers) || brokers.length === 0) {
      throw new KafkaJSInvalidArgument(
        'brokers',
        'expected a non-empty array of "host:port" strings or a function returning one',
      );
    }
    for (const b of brokers) {
      if (typeof b !== 'string' || !/^\[?[^\s:]+(\]|[^\s]*)?:\d{1,5}$|^[^\s:]+$/.test(b.trim())) {
        throw new KafkaJSInvalidArgument('brokers', `"${String(b)}" is not a "host:port" address`);
      }
    }
  }
  if (config.clientId !== undefined && typeof config.clientId !== 'string') {
    throw new KafkaJSInvalidArgument('clientId', 'expected a string');
  }
  for (const key of [
    'connectionTimeout',
    'authenticationTimeout',
    'reauthenticationThreshold',
    'requestTimeout',
    'connectionsMaxIdleMs',
    'metadataMaxAge',
    'metadataRecoveryRebootstrapTriggerMs',
  ] as const) {
    checkNumber(config, key);
  }
  checkNumber(config, 'maxInFlightRequests', 1);
  if (
    config.metadataRecoveryStrategy !== undefined &&
    config.metadataRecoveryStrategy !== 'rebootstrap' &&
    config.metadataRecoveryStrategy !== 'none'
  ) {
    throw new KafkaJSInvalidArgument('metadataRecoveryStrategy', "expected 'rebootstrap' or 'none'");
  }
  if (
    config.ssl !== undefined &&
    typeof config.ssl !== 'boolean' &&
    (typeof config.ssl !== 'object' || config.ssl === null)
  ) {
    throw new KafkaJSInvalidArgument('ssl', 'expected true or an object of Node TLS options');
  }
  if (config.sasl !== undefined && typeof config.sasl !== 'function') validateSaslOptions(config.sasl);
  if (config.retry !== undefined) validateRetryOptions(config.retry);
  if (config.logLevel !== undefined && !Object.values(logLevel).includes(config.logLevel)) {
    throw new KafkaJSInvalidArgument(
      'logLevel',
      'expected one of logLevel.NOTHING, ERROR, WARN, INFO, DEBUG',
    );
  }
  if (config.logCreator !== undefined && typeof config.logCreator !== 'function') {
    throw new KafkaJSInvalidArgument('logCreator', 'expected a function (logLevel) => (entry) => void');
  }
  if (config.logger !== undefined) {
    for (const m of ['error', 'warn', 'info', 'debug'] as const) {
      if (typeof (config.logger as unknown as Record<string, unknown>)[m] !== 'function') {
        throw new KafkaJSInvalidArgument(
          'logger',
          `expected a pino-compatible object; "${m}" is not a function`,
        );
      }
    }
  }
  if (config.socketFactory !== undefined && typeof config.socketFactory !== 'function') {
    throw new KafkaJSInvalidArgument('socketFactory', 'expected a function');
  }
}

/**
 * The entry point, shaped like KafkaJS's: holds the shared configuration and makes the clients.
 * Each producer, consumer and admin client gets its own cluster view and connection pool.
 */
export class Kafka {
  private readonly config: Readonly<KafkaConfig>;
  private readonly rootLogger: Logger;
  /** Network events (`network.request`, …) of every cluster this instance creates. */
  readonly instrumentation = new InstrumentationEmitter();

  constructor(config: KafkaConfig) {
    validateKafkaConfig(config);
    this.config = Object.freeze({ ...config });
    this.rootLogger = createLogger({
      level: config.logLevel ?? logLevel.INFO,
      logCreator: config.logCreator,
      logger: config.logger,
    });
  }

  /** The logger every client of this instance logs through (KafkaJS's `kafka.logger()`). */
  logger(): Logger {
    return this.rootLogger;
  }

  /** A producer with its own connection pool: batching, idempotent by default (see docs/producer.md). */
  producer<K = RawMessageData, V = RawMessageData>(options: ProducerOptions<K, V> = {}): Producer<K, V> {
    const instrumentation = new InstrumentationEmitter();
    const cluster = this.cluster({
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? true,
      metadataMaxAge: options.metadataMaxAge,
      instrumentation,
    });
    // The sampler reads the producer's snapshot, so it is bound once the producer exists.
    let producer: Producer<K, V> | undefined;
    const telemetry = this.metricsPush(options.enableMetricsPush)
      ? producerTelemetry(
          {
            cluster,
            instrumentation,
            logger: this.rootLogger,
            clientId: this.config.clientId ?? 'kafkats',
            resource: { transactional_id: options.transactionalId },
          },
          () => producer!.metrics(),
        )
      : undefined;
    producer = createProducer<K, V>(
      { cluster, logger: this.rootLogger, instrumentation, telemetry },
      options,
    );
    // Through KafkaJS's factory path, where tracing reads the cluster id (src/compat/kafkajs-factories.ts).
    return throughKafkajsFactory('producer', producer, () => cluster.metadata.clusterId);
  }

  /** A consumer with its own connection pool: classic or KIP-848 groups, or manual assign (see docs/consumer.md). */
  consumer<K = Buffer | null, V = Buffer | null>(options: ConsumerOptions<K, V> = {}): Consumer<K, V> {
    const instrumentation = new InstrumentationEmitter();
    const cluster = this.cluster({
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? true,
      metadataMaxAge: options.metadataMaxAge,
      instrumentation,
    });
    let consumer: Consumer<K, V> | undefined;
    const telemetry = this.metricsPush(options.enableMetricsPush)
      ? consumerTelemetry(
          {
            cluster,
            instrumentation,
            logger: this.rootLogger,
            clientId: this.config.clientId ?? 'kafkats',
            resource: { group_id: options.groupId },
          },
          () => consumer!.metrics(),
        )
      : undefined;
    consumer = createConsumer<K, V>(
      {
        cluster,
        logger: this.rootLogger,
        instrumentation,
        clientId: this.config.clientId,
        retry: this.config.retry,
        telemetry,
      },
      options,
    );
    return throughKafkajsFactory('consumer', consumer, () => cluster.metadata.clusterId);
  }

  /** An admin client with its own connection pool (see docs/admin.md). */
  admin(config: AdminConfig = {}): Admin {
    const instrumentation = new InstrumentationEmitter();
    return createAdmin(
      {
        cluster: this.cluster({ instrumentation }),
        logger: this.rootLogger,
        retry: this.config.retry,
        instrumentation,
      },
      config,
    );
  }

  /**
   * A share-group consumer (KIP-932, Kafka 4.x): members divide records, not partitions, and
   * acknowledge each record (see docs/share-groups.md).
   */
  shareConsumer(options: ShareConsumerOptions): ShareConsumer {
    const instrumentation = new InstrumentationEmitter();
    return createShareConsumer(
      {
        cluster: this.cluster({
          allowAutoTopicCreation: false,
          metadataMaxAge: options.metadataMaxAge,
          instrumentation,
        }),
        logger: this.rootLogger,
        instrumentation,
      },
      options,
    );
  }

  /** A client's `enableMetricsPush`, else the Kafka config's, else on (Java's default). */
  private metricsPush(clientOption: boolean | undefined): boolean {
    const value = clientOption ?? this.config.enableMetricsPush ?? true;
    if (typeof value !== 'boolean') {
      throw new KafkaJSInvalidArgument('enableMetricsPush', `must be true or false, got ${String(value)}`);
    }
    return value;
  }

  /** The configuration with secrets replaced, safe to log. */
  describeConfig(): Record<string, unknown> {
    return redact(this.config) as Record<string, unknown>;
  }

  /** @internal A new cluster view with its own connection pool (each client owns one). Internal API for the clients. */
  cluster(options: ClusterFactoryOptions = {}): Cluster {
    const c = this.config;
    const ssl = c.ssl === true ? {} : c.ssl === false ? undefined : c.ssl;
    return new Cluster({
      brokers: c.brokers,
      retry: c.retry,
      metadataMaxAge: options.metadataMaxAge ?? c.metadataMaxAge,
      allowAutoTopicCreation: options.allowAutoTopicCreation,
      metadataRecoveryStrategy: c.metadataRecoveryStrategy,
      metadataRecoveryRebootstrapTriggerMs: c.metadataRecoveryRebootstrapTriggerMs,
      connectionsMaxIdleMs: c.connectionsMaxIdleMs,
      logger: this.rootLogger,
      purposeOptions: options.purposeOptions,
      connection: {
        clientId: c.clientId ?? 'kafkats',
        ssl,
        sasl: c.sasl,
        socketFactory: c.socketFactory,
        connectionTimeout: c.connectionTimeout,
        authenticationTimeout: c.authenticationTimeout,
        reauthenticationThreshold: c.reauthenticationThreshold,
        requestTimeout: c.requestTimeout,
        enforceRequestTimeout: c.enforceRequestTimeout,
        maxInFlightRequests: options.maxInFlightRequests ?? c.maxInFlightRequests,
        logger: this.rootLogger,
        instrumentation: options.instrumentation ?? this.instrumentation,
      },
    });
  }
}
