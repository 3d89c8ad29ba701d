/**
 * How integration tests find the Kafka they run against.
 *
 * `scripts/run-tests.ts` starts one shared cluster (or attaches to `KAFKA_BOOTSTRAP_SERVERS`),
 * writes its description to a JSON file and passes the path in `KAFKATS_TEST_CLUSTER`. Tests call
 * {@link testCluster} instead of starting brokers themselves, so the whole suite pays for one
 * broker start. Only tests that kill or restart brokers should call `startKafka()` themselves.
 *
 * @example
 * ```ts
 * import { testCluster, uniqueTopicName } from '../helpers/cluster.js';
 * const cluster = testCluster();
 * const kafka = new Kafka({ clientId: 'test', brokers: cluster.brokers });
 * const topic = uniqueTopicName('produce');
 * ```
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KafkaClusterDescription } from '../../src/testing/index.js';

/** The environment variable holding the path of the shared cluster's JSON description. */
export const TEST_CLUSTER_ENV = 'KAFKATS_TEST_CLUSTER';

/**
 * Everything a test needs to connect: addresses per listener, TLS material, SASL users.
 * Same shape as `KafkaCluster.describe()` from `kafkats/testing`.
 */
export type TestClusterInfo = KafkaClusterDescription;

let cached: TestClusterInfo | undefined;

/**
 * The cluster of this test run.
 *
 * Reads the JSON file named by `KAFKATS_TEST_CLUSTER`. Without it, falls back to
 * `KAFKA_BOOTSTRAP_SERVERS` alone: a PLAINTEXT-only description (no SASL/TLS listeners, no users,
 * version from `KAFKA_VERSION` or `unknown`). Throws when neither is set, with a hint to run the
 * tests through `npm run test:integration`.
 */
export function testCluster(): TestClusterInfo {
  if (cached) return cached;
  const path = process.env[TEST_CLUSTER_ENV];
  if (path) {
    cached = JSON.parse(readFileSync(path, 'utf8')) as TestClusterInfo;
    return cached;
  }
  const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!bootstrap) {
    throw new Error(
      `No Kafka for integration tests: ${TEST_CLUSTER_ENV} and KAFKA_BOOTSTRAP_SERVERS are unset. ` +
        'Run them with `npm run test:integration` (which starts a broker), or start one with ' +
        '`npm run kafka:start` and export the KAFKA_BOOTSTRAP_SERVERS line it prints.',
    );
  }
  const brokers = bootstrap
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  cached = {
    version: process.env.KAFKA_VERSION || 'unknown',
    clusterId: 'unknown',
    bootstrap: brokers.join(','),
    brokers,
    listeners: { plaintext: brokers, saslPlaintext: [], ssl: [], saslSsl: [] },
    tls: { ca: '', cert: '', key: '' },
    users: [],
    external: true,
    authorizer: false,
    nodes: brokers.map((b, i) => ({
      nodeId: i + 1,
      listeners: { plaintext: b, saslPlaintext: '', ssl: '', saslSsl: '' },
      pid: undefined,
      running: true,
    })),
  };
  return cached;
}

/**
 * A topic name no other test (or earlier run against the same broker) uses:
 * `<prefix>-<time>-<random>`, restricted to the characters Kafka allows.
 */
export function uniqueTopicName(prefix = 'test'): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 180);
  return `${safe}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** The major.minor of the cluster's Kafka (`[0, 0]` when unknown), for version-gated tests. */
export function kafkaVersion(): [major: number, minor: number] {
  const [major = 0, minor = 0] = testCluster()
    .version.split('.')
    .map((n) => Number(n) || 0);
  return [major, minor];
}
