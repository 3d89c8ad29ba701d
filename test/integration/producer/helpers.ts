import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import type { Cluster } from '../../../src/network/cluster.js';
import { createProducer, type Producer, type ProducerOptions } from '../../../src/producer/index.js';
import { Codes } from '../../../src/protocol/codes.js';
import { CreateTopics } from '../../../src/protocol/messages/create-topics.js';
import { OffsetFetch } from '../../../src/protocol/messages/offset-fetch.js';
import { testCluster } from '../../helpers/cluster.js';

const run = promisify(execFile);

export function bootstrap(): string {
  return testCluster().bootstrap;
}

export function kafka(brokers: string[] = testCluster().brokers): Kafka {
  return new Kafka({ clientId: 'kafkats-producer-test', brokers, logLevel: logLevel.WARN });
}

/** What `kafka.producer(options)` will do once wired: a producer on its own cluster. */
export function newProducer(k: Kafka, options: ProducerOptions = {}): Producer {
  const cluster = k.cluster({ allowAutoTopicCreation: options.allowAutoTopicCreation ?? true });
  return createProducer({ cluster, logger: k.logger(), instrumentation: k.instrumentation }, options);
}

/** Creates a topic with CreateTopics through the controller-facing broker (no admin client needed). */
export async function createTopic(
  k: Kafka,
  name: string,
  partitions: number,
  replicationFactor = 1,
  configs: Record<string, string> = {},
): Promise<void> {
  const cluster: Cluster = k.cluster();
  try {
    await cluster.connect();
    const connection = await cluster.anyConnection();
    const res = await connection.send(CreateTopics, {
      topics: [
        {
          name,
          numPartitions: partitions,
          replicationFactor,
          assignments: [],
          configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
        },
      ],
      timeoutMs: 30000,
      validateOnly: false,
    });
    const code = res.topics[0]?.errorCode ?? 0;
    if (code !== 0 && code !== Codes.TOPIC_ALREADY_EXISTS)
      throw new Error(`CreateTopics ${name}: error ${code} ${res.topics[0]?.errorMessage ?? ''}`);
    // Wait until every partition has a leader.
    for (let i = 0; i < 100; i++) {
      await cluster.refreshMetadata([name]);
      const m = cluster.metadata.topics.get(name);
      if (
        m &&
        m.errorCode === 0 &&
        m.partitions.length === partitions &&
        m.partitions.every((p) => p.leader >= 0)
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`topic ${name} has no leaders after 10 s`);
  } finally {
    await cluster.disconnect();
  }
}

export interface KcatRecord {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

/** Reads a whole topic back with kcat (librdkafka), one `partition offset key value` line per record. */
export async function kcatRead(
  brokers: string,
  topic: string,
  extra: string[] = [],
  format = '%p %o %k %s\\n',
): Promise<KcatRecord[]> {
  const { stdout } = await run(
    'kcat',
    [
      '-C',
      '-b',
      brokers,
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      format.replace('\\n', '\n'),
      ...extra,
    ],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  const out: KcatRecord[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [p, o, key, ...rest] = line.split(' ');
    out.push({ partition: Number(p), offset: Number(o), key: key!, value: rest.join(' ') });
  }
  return out;
}

/**
 * A group's committed offsets (-1n when none) with a raw OffsetFetch v7 to the group coordinator,
 * `requireStable` so that offsets of a transaction still being completed are waited for.
 */
export async function committedOffsets(
  k: Kafka,
  groupId: string,
  topic: string,
  partitions: number[],
): Promise<bigint[]> {
  const cluster: Cluster = k.cluster();
  try {
    await cluster.connect();
    for (let attempt = 0; ; attempt++) {
      const connection = await cluster.coordinatorConnection('group', groupId);
      const res = await connection.send(
        OffsetFetch,
        { groupId, topics: [{ name: topic, partitionIndexes: partitions }], requireStable: true },
        { version: 7 },
      );
      const results = res.topics?.[0]?.partitions ?? [];
      const retriable =
        res.errorCode === Codes.UNSTABLE_OFFSET_COMMIT ||
        results.some((p) => p.errorCode === Codes.UNSTABLE_OFFSET_COMMIT);
      if (retriable && attempt < 50) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (res.errorCode) throw new Error(`OffsetFetch ${groupId}: error ${res.errorCode}`);
      return partitions.map((p) => {
        const r = results.find((x) => x.partitionIndex === p);
        if (r?.errorCode) throw new Error(`OffsetFetch ${groupId} ${topic}-${p}: error ${r.errorCode}`);
        return r?.committedOffset ?? -1n;
      });
    }
  } finally {
    await cluster.disconnect();
  }
}
