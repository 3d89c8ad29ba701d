/**
 * KIP-794 against real brokers: three nodes, one partition led by each, and the client's traffic
 * to one leader squeezed through the reliability suite's proxy with a bandwidth cap. Keyless
 * records from the default (adaptive) partitioner move away from the slow leader, because its
 * partition's queue is long whenever the sticky partition is drawn again; with
 * `adaptivePartitioning: false` they stay uniform. Keyed records keep their murmur2 partition.
 *
 * Runs its own 3-node cluster (each partition needs its own leader); not a compat test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import type { Producer, ProducerOptions } from '../../../src/producer/index.js';
import { partitionForKey } from '../../../src/producer/partitioners/index.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { ProxyGroup } from '../../reliability/proxy.js';

const RECORDS = 3000;
const VALUE = Buffer.alloc(1000, 'x');
const CHUNK = 16; // about one batch (batchSize 16 KiB) between pauses
/** Client → broker bytes per second through the slow leader's proxy. */
const SLOW_RATE = 50_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('adaptive partitioner (KIP-794) on a 3-node cluster with one slow leader', () => {
  let cluster: KafkaCluster;
  let proxies: ProxyGroup;
  let kafka: Kafka;
  const topic = `adaptive-${Date.now()}`;
  let slowPartition = -1;

  before(async () => {
    // Three JVMs on a shared 2-core machine can take minutes to elect a controller.
    cluster = await startKafka({
      nodes: 3,
      heapMb: 384,
      startTimeoutMs: 480_000,
      log: (l) => console.log(`[kafka] ${l}`),
    });
    proxies = await ProxyGroup.start(cluster.brokers);
    kafka = new Kafka({
      clientId: 'adaptive',
      brokers: cluster.brokers,
      socketFactory: proxies.socketFactory,
      logLevel: logLevel.ERROR,
    });
    const admin = kafka.admin();
    await admin.connect();
    const ids = cluster.nodes.map((n) => n.nodeId);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, replicaAssignment: ids.map((id, partition) => ({ partition, replicas: [id] })) }],
    });
    await admin.disconnect();
    // Partition 0 is led by the first node: squeeze what the client sends it.
    slowPartition = 0;
    const slowNode = cluster.nodes[0]!;
    proxies.proxies.get(slowNode.listeners.plaintext)!.bytesPerSecond = SLOW_RATE;
  });

  after(async () => {
    await proxies?.close();
    await cluster?.stop();
  });

  /** Streams keyless records in one-batch chunks without waiting for acks, then counts partitions. */
  async function produceKeyless(options: ProducerOptions): Promise<number[]> {
    const producer: Producer = kafka.producer({ batchSize: 16384, lingerMs: 5, ...options });
    await producer.connect();
    try {
      const counts = [0, 0, 0];
      const sends: Promise<void>[] = [];
      for (let sent = 0; sent < RECORDS; sent += CHUNK) {
        // One record per send, so each answer names the record's partition.
        for (let i = 0; i < CHUNK; i++) {
          sends.push(
            producer.send({ topic, messages: [{ value: VALUE }] }).then(([m]) => {
              counts[m!.partition]!++;
            }),
          );
        }
        // Let the sender drain between chunks, as a steady stream does.
        await sleep(10);
      }
      await Promise.all(sends);
      return counts;
    } finally {
      await producer.disconnect();
    }
  }

  it('sends fewer keyless records to the slow leader than uniform sticky does', {
    timeout: 600_000,
  }, async () => {
    const adaptive = await produceKeyless({});
    const uniform = await produceKeyless({ adaptivePartitioning: false });
    const share = (c: number[]) => c[slowPartition]! / c.reduce((a, b) => a + b, 0);
    console.log(
      `[adaptive] records per partition (slow = ${slowPartition}): adaptive ${adaptive.join('/')} ` +
        `(${(share(adaptive) * 100).toFixed(1)}%), uniform ${uniform.join('/')} (${(share(uniform) * 100).toFixed(1)}%)`,
    );
    // Uniform sticky gives each of the three partitions about a third; adaptive must clearly
    // give the slow one less (measured: 11.9% of 3,000 records against 34.5%).
    assert.ok(share(adaptive) < 0.22, `adaptive: slow leader got ${(share(adaptive) * 100).toFixed(1)}%`);
    assert.ok(share(uniform) > 0.22, `uniform: slow leader got ${(share(uniform) * 100).toFixed(1)}%`);
  });

  it('keeps keyed records on their murmur2 partition, slow leader or not', { timeout: 120_000 }, async () => {
    const producer = kafka.producer({ batchSize: 16384, lingerMs: 5 });
    await producer.connect();
    try {
      const keys = Array.from({ length: 60 }, (_, k) => `key-${k}`);
      const placed = await Promise.all(
        keys.map((key) =>
          producer.send({ topic, messages: [{ key, value: 'v' }] }).then(([m]) => m!.partition),
        ),
      );
      const expected = keys.map((key) => partitionForKey(Buffer.from(key), 3));
      assert.ok(expected.includes(slowPartition), 'some keys hash to the slow partition');
      assert.deepEqual(placed, expected);
    } finally {
      await producer.disconnect();
    }
  });
});
