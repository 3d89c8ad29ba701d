import { ClusterAdapter } from '../../../src/admin/cluster-adapter.js';
import type { AdminCluster } from '../../../src/admin/context.js';
import { alterShareGroupConfigs } from '../../../src/admin/share-groups.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel, nullLogger } from '../../../src/logger.js';
import type { Cluster } from '../../../src/network/cluster.js';
import { createProducer } from '../../../src/producer/index.js';
import { Codes } from '../../../src/protocol/codes.js';
import { CreateTopics } from '../../../src/protocol/messages/create-topics.js';
import type { ShareConsumer } from '../../../src/share/consumer.js';
import type { ShareConsumerOptions } from '../../../src/share/types.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';

export { uniqueTopicName };

/** A client of the run's shared broker, or of `brokers` (a test's own cluster), logging nothing. */
export function kafka(brokers: string[] = testCluster().brokers): Kafka {
  return new Kafka({ clientId: 'kafkats-share-test', brokers, logLevel: logLevel.NOTHING });
}

/** What `kafka.shareConsumer(options)` does once wired. */
export function newShareConsumer(k: Kafka, options: ShareConsumerOptions): ShareConsumer {
  return k.shareConsumer({ maxWaitTimeInMs: 200, ...options });
}

/** A cluster for the admin functions; disconnect it when done. */
/** The admin's port over a test's own cluster, for the share-group admin functions. */
export function adminPort(cluster: Cluster): AdminCluster {
  return new ClusterAdapter(cluster, nullLogger, undefined);
}

export async function adminCluster(k: Kafka): Promise<Cluster> {
  const cluster = k.cluster();
  await cluster.connect();
  return cluster;
}

export async function createTopic(cluster: Cluster, name: string, partitions = 1): Promise<void> {
  const connection = await cluster.anyConnection();
  const res = await connection.send(CreateTopics, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 30000,
    validateOnly: false,
  });
  const code = res.topics[0]?.errorCode ?? 0;
  if (code !== 0 && code !== Codes.TOPIC_ALREADY_EXISTS)
    throw new Error(`CreateTopics ${name}: error ${code}`);
  await cluster.ensureTopicMetadata([name]);
}

/**
 * A new group reading `topic` from the beginning (share groups start at the end by default), with
 * extra group configs such as a short lock.
 */
export async function prepareGroup(
  cluster: Cluster,
  groupId: string,
  configs: Record<string, string> = {},
): Promise<void> {
  await alterShareGroupConfigs(adminPort(cluster), groupId, {
    'share.auto.offset.reset': 'earliest',
    ...configs,
  });
}

/**
 * A new one-partition topic named after `prefix` and its share group (`<topic>-group`), which
 * reads it from the beginning with `configs` applied: the start of every share test.
 */
export async function shareTopic(
  cluster: Cluster,
  prefix: string,
  configs: Record<string, string> = {},
): Promise<{ topic: string; groupId: string }> {
  const topic = uniqueTopicName(prefix);
  const groupId = `${topic}-group`;
  await createTopic(cluster, topic);
  await prepareGroup(cluster, groupId, configs);
  return { topic, groupId };
}

/** Produces `count` records `v0..v(count-1)` in sends of `perBatch` (so that each send is its own batch). */
export async function produce(
  k: Kafka,
  topic: string,
  count: number,
  perBatch = count,
  start = 0,
): Promise<void> {
  const producer = createProducer(
    { cluster: k.cluster({ allowAutoTopicCreation: true }), logger: k.logger() },
    {},
  );
  await producer.connect();
  try {
    for (let i = start; i < start + count; i += perBatch) {
      const messages = [];
      for (let j = i; j < Math.min(start + count, i + perBatch); j++) messages.push({ value: `v${j}` });
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
