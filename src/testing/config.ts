/**
 * Pure configuration generation: the text of each node's server.properties, its logging
 * configuration, and the arguments of the storage format step. No I/O here, so that every
 * setting can be checked by a unit test.
 */
import { versionParts } from './versions.js';

/** The host every listener binds to and advertises; tests never need DNS. */
export const HOST = '127.0.0.1';

/** The SASL mechanisms every SASL listener enables. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;
/** A SASL mechanism the harness's SASL listeners enable. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** A SASL user the harness creates (PLAIN in the JAAS config, SCRAM at format time). */
export interface HarnessUser {
  /** The user name (principal `User:<username>`). */
  username: string;
  /** The user's password. */
  password: string;
  /** The mechanisms the user can authenticate with. */
  mechanisms: SaslMechanism[];
}

/**
 * The users of a harness cluster. `admin` is a super user when the authorizer is on; `alice`
 * is an ordinary principal for ACL tests. OAUTHBEARER accepts any principal through Kafka's
 * unsecured JWS validator, so it needs no password.
 */
export const DEFAULT_USERS: readonly HarnessUser[] = [
  { username: 'admin', password: 'admin-secret', mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] },
  { username: 'alice', password: 'alice-secret', mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] },
];

/** The ports of one node, one per listener. */
export interface NodePorts {
  controller: number;
  internal: number;
  plaintext: number;
  saslPlaintext: number;
  ssl: number;
  saslSsl: number;
}

export const PORTS_PER_NODE = 6;

/** Builds a NodePorts from six free ports, in the order of the interface. */
export function nodePortsFrom(ports: readonly number[]): NodePorts {
  if (ports.length !== PORTS_PER_NODE)
    throw new Error(`expected ${PORTS_PER_NODE} ports, got ${ports.length}`);
  const [controller, internal, plaintext, saslPlaintext, ssl, saslSsl] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { controller, internal, plaintext, saslPlaintext, ssl, saslSsl };
}

/** Listener name → security protocol. INTERNAL carries inter-broker traffic, apart from clients'. */
export const SECURITY_PROTOCOL_MAP: Readonly<Record<string, string>> = {
  CONTROLLER: 'PLAINTEXT',
  INTERNAL: 'PLAINTEXT',
  PLAINTEXT: 'PLAINTEXT',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT',
  SSL: 'SSL',
  SASL_SSL: 'SASL_SSL',
};

/** The SSL listener's `ssl.client.auth`: whether a client must present a certificate. */
export type SslClientAuth = 'none' | 'requested' | 'required';

export interface NodeConfigInput {
  version: string;
  nodeId: number;
  /** Ports of every node of the cluster, by node id (the quorum needs all controllers). */
  cluster: ReadonlyMap<number, NodePorts>;
  /** Directory for the node's log segments and metadata log. */
  logDir: string;
  users: readonly HarnessUser[];
  authorizer: boolean;
  tls: { keystorePath: string; truststorePath: string };
  /** The SSL listener's client authentication. Default `requested`. */
  sslClientAuth?: SslClientAuth;
}

/** `1@127.0.0.1:9093,2@...`: a static quorum of every node, which both 3.9 and 4.x accept. */
export function quorumVoters(cluster: ReadonlyMap<number, NodePorts>): string {
  return [...cluster.entries()].map(([id, ports]) => `${id}@${HOST}:${ports.controller}`).join(',');
}

/** The `listeners` value: every listener bound on 127.0.0.1. */
export function listenersValue(ports: NodePorts): string {
  return [
    `CONTROLLER://${HOST}:${ports.controller}`,
    `INTERNAL://${HOST}:${ports.internal}`,
    `PLAINTEXT://${HOST}:${ports.plaintext}`,
    `SASL_PLAINTEXT://${HOST}:${ports.saslPlaintext}`,
    `SSL://${HOST}:${ports.ssl}`,
    `SASL_SSL://${HOST}:${ports.saslSsl}`,
  ].join(',');
}

/** The controller listener is not advertised: 3.9 rejects it in advertised.listeners. */
export function advertisedListenersValue(ports: NodePorts): string {
  return listenersValue(ports)
    .split(',')
    .filter((l) => !l.startsWith('CONTROLLER://'))
    .join(',');
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The PLAIN login module line with one `user_<name>="<password>"` per PLAIN user. */
export function plainJaas(users: readonly HarnessUser[]): string {
  const entries = users
    .filter((u) => u.mechanisms.includes('PLAIN'))
    .map((u) => `user_${u.username}=${quote(u.password)}`);
  return `org.apache.kafka.common.security.plain.PlainLoginModule required ${entries.join(' ')};`;
}

export const SCRAM_JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';

/**
 * The broker's own OAUTHBEARER login is never used (inter-broker traffic is PLAINTEXT), but the
 * module still needs a subject claim to initialise.
 */
export const OAUTHBEARER_JAAS =
  'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";';

/** Validates unsigned JWTs (`alg: none`), which is what librdkafka and test clients send. */
export const OAUTHBEARER_UNSECURED_VALIDATOR =
  'org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler';

/** Per-listener SASL settings for one SASL listener (`sasl_plaintext` or `sasl_ssl`). */
export function saslListenerSettings(
  listener: string,
  users: readonly HarnessUser[],
): Record<string, string> {
  const prefix = `listener.name.${listener.toLowerCase()}`;
  return {
    [`${prefix}.sasl.enabled.mechanisms`]: SASL_MECHANISMS.join(','),
    [`${prefix}.plain.sasl.jaas.config`]: plainJaas(users),
    [`${prefix}.scram-sha-256.sasl.jaas.config`]: SCRAM_JAAS,
    [`${prefix}.scram-sha-512.sasl.jaas.config`]: SCRAM_JAAS,
    [`${prefix}.oauthbearer.sasl.jaas.config`]: OAUTHBEARER_JAAS,
    [`${prefix}.oauthbearer.sasl.server.callback.handler.class`]: OAUTHBEARER_UNSECURED_VALIDATOR,
  };
}

/** Replication settings that a cluster of `nodes` brokers can satisfy. */
export function replicationSettings(nodes: number): Record<string, string> {
  const rf = Math.min(nodes, 3);
  const minIsr = rf >= 3 ? 2 : 1;
  return {
    'offsets.topic.replication.factor': String(rf),
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': String(rf),
    'transaction.state.log.min.isr': String(minIsr),
    'transaction.state.log.num.partitions': '10',
    'share.coordinator.state.topic.replication.factor': String(rf),
    'share.coordinator.state.topic.min.isr': String(minIsr),
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
  };
}

/** StandardAuthorizer with `admin` and the PLAINTEXT inter-broker identity (ANONYMOUS) as super users. */
export function authorizerSettings(enabled: boolean): Record<string, string> {
  if (!enabled) return {};
  return {
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': 'User:admin;User:ANONYMOUS',
    'allow.everyone.if.no.acl.found': 'false',
  };
}

/**
 * Settings chosen for tests rather than production, shared by the JVM and docker routes: topics
 * appear on first use, rebalances do not wait for stragglers, and the broker stays small.
 */
export function testBrokerSettings(version: string): Record<string, string> {
  const settings: Record<string, string> = {
    // Tests produce to topics they never created; a rebalance should not wait for stragglers.
    'auto.create.topics.enable': 'true',
    'num.partitions': '1',
    'group.initial.rebalance.delay.ms': '0',
    // Keep the JVM small: the defaults are sized for production hardware.
    'num.network.threads': '2',
    'num.io.threads': '4',
    'num.recovery.threads.per.data.dir': '1',
    'log.cleaner.dedupe.buffer.size': String(16 * 1024 * 1024),
    'log.cleaner.threads': '1',
  };
  if (versionParts(version).major < 4) {
    // 3.9 needs the classic/consumer protocol list to serve KIP-848 groups; 4.x has it on by default.
    settings['group.coordinator.rebalance.protocols'] = 'classic,consumer';
  }
  return settings;
}

/** Every setting of one node, in a stable order (the file is read by people debugging a failure). */
export function nodeSettings(input: NodeConfigInput): Record<string, string> {
  const ports = input.cluster.get(input.nodeId);
  if (!ports) throw new Error(`node ${input.nodeId} is not part of the cluster`);
  const settings: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(input.nodeId),
    'controller.quorum.voters': quorumVoters(input.cluster),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'INTERNAL',
    listeners: listenersValue(ports),
    'advertised.listeners': advertisedListenersValue(ports),
    'listener.security.protocol.map': Object.entries(SECURITY_PROTOCOL_MAP)
      .map(([name, protocol]) => `${name}:${protocol}`)
      .join(','),
    'log.dirs': input.logDir,
    'sasl.enabled.mechanisms': SASL_MECHANISMS.join(','),
    ...saslListenerSettings('SASL_PLAINTEXT', input.users),
    ...saslListenerSettings('SASL_SSL', input.users),
    // PEM stores (Kafka >= 2.7) avoid a keytool round trip: the files openssl wrote are used as is.
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': input.tls.keystorePath,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': input.tls.truststorePath,
    // A client certificate is checked when offered but not demanded, unless the cluster was
    // started for mutual TLS; the listener prefix keeps SASL_SSL out of it (KIP-684).
    'ssl.client.auth': 'requested',
    'listener.name.ssl.ssl.client.auth': input.sslClientAuth ?? 'requested',
    ...replicationSettings(input.cluster.size),
    ...authorizerSettings(input.authorizer),
    ...testBrokerSettings(input.version),
  };
  return settings;
}

/** Renders settings as a .properties file. Backslashes are escaped, as the format requires. */
export function formatProperties(settings: Record<string, string>): string {
  const lines = ['# Generated by the kafkats test harness; regenerated on every start.'];
  for (const [key, value] of Object.entries(settings)) lines.push(`${key}=${value.replace(/\\/g, '\\\\')}`);
  return `${lines.join('\n')}\n`;
}

/** Arguments of `kafka.tools.StorageTool format` that add SCRAM credentials to the metadata log. */
export function scramFormatArgs(users: readonly HarnessUser[]): string[] {
  const args: string[] = [];
  for (const user of users) {
    for (const mechanism of user.mechanisms) {
      if (mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512') {
        args.push('--add-scram', `${mechanism}=[name="${user.username}",password="${user.password}"]`);
      }
    }
  }
  return args;
}

/**
 * Share groups (KIP-932) are on by default from 4.2 (share.version=2 in 4.4's defaults); 4.0
 * and 4.1 need the feature set at format time. 3.9 has no share groups at all.
 */
export function featureFormatArgs(version: string): string[] {
  const { major, minor } = versionParts(version);
  if (major === 4 && minor < 2) return ['--feature', 'share.version=1'];
  return [];
}

/** The full argument list of the format step for one node. */
export function formatStorageArgs(input: {
  version: string;
  clusterId: string;
  configPath: string;
  users: readonly HarnessUser[];
}): string[] {
  return [
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    input.clusterId,
    '--config',
    input.configPath,
    ...scramFormatArgs(input.users),
    ...featureFormatArgs(input.version),
  ];
}

/** Kafka 4.x logs through log4j2; 3.9 through reload4j (log4j 1). */
export function usesLog4j2(version: string): boolean {
  return versionParts(version).major >= 4;
}

/** log4j2 XML: everything at INFO to `<nodeDir>/server.log`; per-request logging stays quiet. */
export function log4j2Config(logFile: string): string {
  const escaped = logFile.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    <File name="file" fileName="${escaped}" append="true">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
  </Loggers>
</Configuration>
`;
}

/** log4j 1 properties for the 3.9 line, same layout and levels as the log4j2 file. */
export function log4j1Config(logFile: string): string {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${logFile.replace(/\\/g, '\\\\')}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.request.logger=WARN',
    '',
  ].join('\n');
}

/** JVM flags: a small, quick-starting heap; the logging config for whichever log4j the version uses. */
export function jvmArgs(input: {
  heapMb: number;
  nodeDir: string;
  log4jConfigPath: string;
  version: string;
}): string[] {
  const heap = Math.max(128, Math.floor(input.heapMb));
  const args = [
    `-Xmx${heap}m`,
    `-Xms${Math.min(256, heap)}m`,
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${input.nodeDir}`,
  ];
  if (usesLog4j2(input.version)) args.push(`-Dlog4j2.configurationFile=${input.log4jConfigPath}`);
  else args.push(`-Dlog4j.configuration=file:${input.log4jConfigPath}`);
  return args;
}

/** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (Kafka's Uuid format). */
/**
 * A fresh cluster id. Like Kafka's own Uuid.randomUuid, ids whose text starts with '-' are
 * drawn again: the format tool would read such an id as an option and refuse it.
 */
export function newClusterId(random: (n: number) => Uint8Array): string {
  for (;;) {
    const id = clusterIdFrom(random(16));
    if (!id.startsWith('-')) return id;
  }
}

export function clusterIdFrom(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error('a cluster id needs 16 bytes');
  return Buffer.from(bytes).toString('base64url');
}
