import type { HarnessUser, SslClientAuth } from './config.js';
import type { OauthbearerJwksOptions } from './oauthbearer.js';

/**
 * How {@link startKafka} runs Kafka: `jvm` (local JVMs from Maven-fetched jars), `docker` (the
 * `apache/kafka` image), or `auto` (the JVM when Java is installed, else Docker when its daemon
 * answers).
 */
export type KafkaRuntime = 'auto' | 'jvm' | 'docker';

/** Client listener addresses (`host:port`), one entry per node, by security protocol. */
export interface KafkaListeners {
  /** PLAINTEXT listeners: no TLS, no authentication. */
  plaintext: string[];
  /** SASL_PLAINTEXT listeners: PLAIN, SCRAM-SHA-256/512 and OAUTHBEARER without TLS. */
  saslPlaintext: string[];
  /** SSL listeners: TLS with the cluster's CA (see {@link KafkaTls}); on the docker route, reading it throws. */
  ssl: string[];
  /** SASL_SSL listeners: SASL over TLS; on the docker route, reading it throws. */
  saslSsl: string[];
}

/** PEM strings for TLS clients, plus their file paths when the harness wrote them. */
export interface KafkaTls {
  /** The throwaway CA that signed the broker certificate; trust it. */
  ca: string;
  /** A client certificate signed by the same CA (CN=kafkats-client), for mutual TLS. */
  cert: string;
  /** The client certificate's private key (unencrypted PKCS#8). */
  key: string;
  /** File holding {@link KafkaTls.ca} (for tools that want a path, e.g. `ssl.truststore`). */
  caPath?: string;
  /** File holding {@link KafkaTls.cert}. */
  certPath?: string;
  /** File holding {@link KafkaTls.key}. */
  keyPath?: string;
}

/** One node of a harness cluster, as it is now. */
export interface KafkaNodeInfo {
  /** The node's `node.id` (broker id), from 1. */
  nodeId: number;
  /** This node's client listeners (`127.0.0.1:port`). */
  listeners: {
    /** PLAINTEXT `host:port`. */
    plaintext: string;
    /** SASL_PLAINTEXT `host:port` (empty when the cluster has none). */
    saslPlaintext: string;
    /** SSL `host:port` (empty when the cluster has none). */
    ssl: string;
    /** SASL_SSL `host:port` (empty when the cluster has none). */
    saslSsl: string;
  };
  /** The JVM's pid while running (undefined for the docker route and external clusters). */
  pid: number | undefined;
  /** False after `kill()` or `stop()` until `restart()`. */
  running: boolean;
  /** The container id, on the docker route. */
  container?: string;
}

/** A JSON-safe description of a cluster: what run-tests and the CLI write to disk. */
export interface KafkaClusterDescription {
  /** As {@link KafkaCluster.version}. */
  version: string;
  /** As {@link KafkaCluster.clusterId}. */
  clusterId: string;
  /** As {@link KafkaCluster.bootstrap}. */
  bootstrap: string;
  /** As {@link KafkaCluster.brokers}. */
  brokers: string[];
  /** As {@link KafkaCluster.listeners}. */
  listeners: KafkaListeners;
  /** As {@link KafkaCluster.tls}. */
  tls: KafkaTls;
  /** As {@link KafkaCluster.users}. */
  users: HarnessUser[];
  /** True when attached to a cluster the harness did not start (KAFKA_BOOTSTRAP_SERVERS). */
  external: boolean;
  /** As {@link KafkaCluster.authorizer}. */
  authorizer: boolean;
  /** What runs the cluster; `external` when attached. Absent in descriptions written before it existed. */
  runtime?: Exclude<KafkaRuntime, 'auto'> | 'external';
  /** The cluster's working directory (configs, data, logs, certificates); absent when external. */
  dir?: string;
  /** Each node as {@link KafkaCluster.nodes}, with its own working directory. */
  nodes: (KafkaNodeInfo & {
    /** The node's working directory (config and data); absent when external. */
    dir?: string;
  })[];
}

/** A running Kafka cluster, started by {@link startKafka} or attached by {@link attachKafka}. */
export interface KafkaCluster {
  /** Exact Kafka version, e.g. `4.4.0` (`unknown` for an external cluster without KAFKA_VERSION). */
  readonly version: string;
  /** The KRaft cluster id the nodes were formatted with (as Metadata reports it). */
  readonly clusterId: string;
  /** Comma-separated PLAINTEXT addresses of every node: what `brokers` / bootstrap.servers wants. */
  readonly bootstrap: string;
  /** PLAINTEXT `host:port` per node. */
  readonly brokers: string[];
  /** Every node with its listeners and whether it runs now. */
  readonly nodes: KafkaNodeInfo[];
  /** Client listener addresses of every node, by security protocol. */
  readonly listeners: KafkaListeners;
  /** The CA and client certificate to connect to the SSL listeners (throws on the docker route). */
  readonly tls: KafkaTls;
  /** SASL users (PLAIN and SCRAM-SHA-256/512); OAUTHBEARER accepts any unsigned token. */
  readonly users: HarnessUser[];
  /** True when attached to a cluster the harness did not start (`KAFKA_BOOTSTRAP_SERVERS`): no kill/restart. */
  readonly external: boolean;
  /** True when StandardAuthorizer is on (`authorizer: true`): clients other than `admin` need ACLs. */
  readonly authorizer: boolean;
  /** What runs the cluster: local JVMs, a docker container, or nothing of ours (`external`). */
  readonly runtime: Exclude<KafkaRuntime, 'auto'> | 'external';
  /** Stops every node (SIGTERM, then SIGKILL after a grace period) and deletes its data. */
  stop(): Promise<void>;
  /** SIGKILLs one node, as a crash would. */
  kill(nodeId: number): Promise<void>;
  /** Starts a stopped or killed node again on the same ports and data, and waits until it is ready. */
  restart(nodeId: number): Promise<void>;
  /** The last `lines` lines of a node's server.log. */
  logTail(nodeId: number, lines?: number): Promise<string>;
  /** A JSON-safe snapshot (no functions) for handing the cluster to another process. */
  describe(): KafkaClusterDescription;
}

/** Options of {@link startKafka}. */
export interface StartKafkaOptions {
  /** Kafka line (`3.9`, `4`) or exact release (`3.9.2`). Default: `$KAFKA_VERSION`, else 4.4.0. */
  version?: string;
  /**
   * `jvm`, `docker` or `auto`. Default: `$KAFKATS_RUNTIME`, else `auto`: the JVM route when Java is
   * installed (`$JAVA_HOME/bin/java` or `java` on PATH), else Docker when `docker version` answers.
   * The docker route runs one PLAINTEXT node only; see docs/testing-harness.md.
   */
  runtime?: KafkaRuntime;
  /** The image of the docker route, without tag (the Kafka version is the tag). Default `apache/kafka`. */
  dockerImage?: string;
  /** Number of combined broker+controller nodes (a 3-node cluster has a 3-voter quorum). Default 1. */
  nodes?: 1 | 3;
  /**
   * The SSL listener's `ssl.client.auth`. `required` makes it a mutual-TLS listener: a client
   * without a certificate signed by the cluster's CA is refused, and one with a certificate is
   * the principal `User:<its subject DN>` (e.g. `User:CN=kafkats-client`). Default `requested`.
   * The JVM route only.
   */
  sslClientAuth?: SslClientAuth;
  /** Turn on StandardAuthorizer: only `admin` (and the inter-broker ANONYMOUS) may do anything without ACLs. */
  authorizer?: boolean;
  /**
   * Extra broker settings written into every node's server.properties after the harness's own
   * (so they override them), e.g. `{ 'connections.max.reauth.ms': '5000' }`.
   */
  brokerProperties?: Record<string, string | number | boolean>;
  /**
   * Directories or jars appended to every broker's class path, for plugins named in
   * `brokerProperties` (a `metric.reporters` class, an authorizer). JVM route only.
   */
  extraClasspath?: string[];
  /**
   * Validate OAUTHBEARER on the SASL listeners as signed JWTs against a JWKS URL (Kafka's
   * OAuthBearerValidatorCallbackHandler, KIP-768) instead of accepting unsigned tokens; see
   * `startOidcIssuer` for an issuer to point it at. JVM route only.
   */
  oauthbearer?: OauthbearerJwksOptions;
  /** Parent directory of the cluster's working directory. Default: the OS temp directory. */
  dataDir?: string;
  /** JVM heap per node in MiB. Default 512. */
  heapMb?: number;
  /** How long to wait for the whole cluster to be ready. Default 120 000 ms. */
  startTimeoutMs?: number;
  /** Receives progress lines (fetching, formatting, started). Default: silent. */
  log?: (line: string) => void;
  /** Where the Kafka jars are cached. Default: `$KAFKATS_CACHE_DIR`, else `~/.cache/kafkats`. */
  cacheDir?: string;
  /**
   * Leave the brokers running when this process exits (the `kafka:start` CLI uses it). The caller
   * then owns their lifetime; nothing kills them automatically.
   */
  detached?: boolean;
}
