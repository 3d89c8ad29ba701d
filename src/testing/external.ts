/**
 * Attaching to a Kafka the harness did not start: a cluster from `npm run kafka:start`, a CI
 * service, a developer's own broker. Addresses come from the same variables the CLI prints.
 */
import { readFileSync } from 'node:fs';
import { startKafka } from './cluster.js';
import { DEFAULT_USERS } from './config.js';
import { KafkaHarnessError } from './errors.js';
import type { KafkaCluster, KafkaClusterDescription, KafkaTls, StartKafkaOptions } from './types.js';
import { KAFKA_VERSION_ENV } from './versions.js';
import { parseHostPort, probeMetadata } from './wire.js';

/** The variables the CLI prints and {@link attachKafka} reads. */
export const ENV = {
  /** Comma-separated PLAINTEXT `host:port` list; setting it makes the harness attach instead of start. */
  bootstrap: 'KAFKA_BOOTSTRAP_SERVERS',
  /** Comma-separated SASL_PLAINTEXT `host:port` list, one per node (optional). */
  saslPlaintext: 'KAFKA_SASL_PLAINTEXT',
  /** Comma-separated SSL `host:port` list, one per node (optional). */
  ssl: 'KAFKA_SSL',
  /** Comma-separated SASL_SSL `host:port` list, one per node (optional). */
  saslSsl: 'KAFKA_SASL_SSL',
  /** Path of the CA certificate (PEM) the TLS listeners chain to. */
  tlsCa: 'KAFKA_TLS_CA',
  /** Path of a client certificate (PEM), for mutual TLS. */
  tlsCert: 'KAFKA_TLS_CERT',
  /** Path of that certificate's private key (PEM). */
  tlsKey: 'KAFKA_TLS_KEY',
} as const;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const readIfSet = (path: string | undefined) => (path ? readFileSync(path, 'utf8') : '');

function unsupported(what: string): Promise<never> {
  return Promise.reject(
    new KafkaHarnessError(
      'EXTERNAL_CLUSTER',
      `${what} needs a cluster started by startKafka(); this one is external (${ENV.bootstrap} is set). ` +
        `Unset ${ENV.bootstrap} or call startKafka() directly for tests that kill or restart brokers.`,
    ),
  );
}

/**
 * A {@link KafkaCluster} for an existing cluster. `stop()` does nothing (the cluster is not
 * ours); `kill()` and `restart()` reject with EXTERNAL_CLUSTER. SASL users are assumed to be the
 * harness's (true for a `kafka:start` cluster) when a SASL listener is given.
 */
export async function attachKafka(env: NodeJS.ProcessEnv = process.env): Promise<KafkaCluster> {
  const brokers = list(env[ENV.bootstrap]);
  if (brokers.length === 0) {
    throw new KafkaHarnessError(
      'BAD_OPTION',
      `attachKafka() needs ${ENV.bootstrap}=host:port[,host:port...].`,
    );
  }
  const first = parseHostPort(brokers[0]!);
  let clusterId = 'unknown';
  try {
    clusterId = (await probeMetadata(first.host, first.port)).clusterId ?? 'unknown';
  } catch (error) {
    throw new KafkaHarnessError(
      'BROKER_EXITED',
      `No Kafka answered at ${brokers[0]} (from ${ENV.bootstrap}).`,
      {
        cause: error,
      },
    );
  }
  const listeners = {
    plaintext: brokers,
    saslPlaintext: list(env[ENV.saslPlaintext]),
    ssl: list(env[ENV.ssl]),
    saslSsl: list(env[ENV.saslSsl]),
  };
  const tls: KafkaTls = {
    ca: readIfSet(env[ENV.tlsCa]),
    cert: readIfSet(env[ENV.tlsCert]),
    key: readIfSet(env[ENV.tlsKey]),
  };
  if (env[ENV.tlsCa]) tls.caPath = env[ENV.tlsCa];
  if (env[ENV.tlsCert]) tls.certPath = env[ENV.tlsCert];
  if (env[ENV.tlsKey]) tls.keyPath = env[ENV.tlsKey];
  const hasSasl = listeners.saslPlaintext.length > 0 || listeners.saslSsl.length > 0;
  const users = hasSasl ? DEFAULT_USERS.map((u) => ({ ...u, mechanisms: [...u.mechanisms] })) : [];
  const version = env[KAFKA_VERSION_ENV] || 'unknown';
  const nodes = brokers.map((b, i) => ({
    nodeId: i + 1,
    listeners: {
      plaintext: b,
      saslPlaintext: listeners.saslPlaintext[i] ?? '',
      ssl: listeners.ssl[i] ?? '',
      saslSsl: listeners.saslSsl[i] ?? '',
    },
    pid: undefined,
    running: true,
  }));
  const description: KafkaClusterDescription = {
    version,
    clusterId,
    bootstrap: brokers.join(','),
    brokers,
    listeners,
    tls,
    users,
    external: true,
    authorizer: false,
    runtime: 'external',
    nodes,
  };
  return {
    ...description,
    runtime: 'external',
    stop: async () => {},
    kill: () => unsupported('kill()'),
    restart: () => unsupported('restart()'),
    logTail: () => unsupported('logTail()'),
    describe: () => description,
  };
}

/**
 * The usual entry point of an integration test: the external cluster when `KAFKA_BOOTSTRAP_SERVERS`
 * is set, otherwise a fresh one from {@link startKafka}.
 */
export function useKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  return process.env[ENV.bootstrap] ? attachKafka() : startKafka(options);
}
