/**
 * What a single broker cannot show: on a 3-node cluster of its own, requests sharded across
 * partition leaders on different brokers, log dirs merged from every broker, a replica really
 * moved by a reassignment (held in progress by a replication throttle, cancelled, then run to
 * completion), and a
 * preferred leader election after the preferred leader was killed and came back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Admin,
  type AlterConfigOpType,
  AlterConfigOpTypes,
  ConfigResourceTypes,
} from '../../../src/admin/index.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { kafka, kcatProduce, newAdmin } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('admin on a 3-node cluster', () => {
  let cluster: KafkaCluster;
  let admin: Admin;
  let ids: number[];
  /** Node id of each broker's PLAINTEXT address, to read `broker` in request events. */
  const nodeOf = new Map<string, number>();
  const topic = uniqueTopicName('admin-3n');

  before(async () => {
    cluster = await startKafka({ nodes: 3, heapMb: 384 });
    ids = cluster.nodes.map((n) => n.nodeId).sort((a, b) => a - b);
    for (const n of cluster.nodes) nodeOf.set(n.listeners.plaintext, n.nodeId);
    admin = newAdmin(kafka({ brokers: cluster.brokers }), { retry: { retries: 8, initialRetryTime: 200 } });
    await admin.connect();
    // One partition led by each broker, so that partition-scoped requests must fan out.
    await admin.createTopics({
      topics: [
        {
          topic,
          replicaAssignment: ids.map((id, partition) => ({ partition, replicas: [id] })),
        },
      ],
    });
  });
  after(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  /** The node ids the admin's requests of `apiName` went to while `fn` ran. */
  async function brokersUsed(apiName: string, fn: () => Promise<unknown>): Promise<number[]> {
    const seen = new Set<number>();
    const off = admin.on(admin.events.REQUEST, (e) => {
      if (e.payload.apiName === apiName) seen.add(nodeOf.get(e.payload.broker) ?? -1);
    });
    try {
      await fn();
    } finally {
      off();
    }
    return [...seen].sort((a, b) => a - b);
  }

  it('shards DescribeProducers and ListOffsets over the three leaders and merges the answers', async () => {
    for (let p = 0; p < 3; p++) {
      await kcatProduce(
        topic,
        p,
        Array.from({ length: p + 1 }, (_, i) => `v${i}`),
        { brokers: cluster.bootstrap, extra: ['-X', 'enable.idempotence=true'] },
      );
    }
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.deepEqual(
      topics[0]!.partitions.map((p) => p.leader),
      ids,
      'partition i is led by the i-th broker',
    );

    let producers: Awaited<ReturnType<Admin['describeProducers']>> = [];
    const describedOn = await brokersUsed('DescribeProducers', async () => {
      producers = await admin.describeProducers({ topic });
    });
    assert.deepEqual(describedOn, ids, 'one DescribeProducers per leader');
    assert.deepEqual(
      producers.map((p) => [p.partition, p.activeProducers.length, p.activeProducers[0]?.lastSequence]),
      [
        [0, 1, 0],
        [1, 1, 1],
        [2, 1, 2],
      ],
    );

    let offsets: Awaited<ReturnType<Admin['fetchTopicOffsets']>> = [];
    const listedOn = await brokersUsed('ListOffsets', async () => {
      offsets = await admin.fetchTopicOffsets(topic);
    });
    assert.deepEqual(listedOn, ids, 'ListOffsets went to every leader');
    assert.deepEqual(
      offsets.map((o) => [o.partition, o.high]),
      [
        [0, '1'],
        [1, '2'],
        [2, '3'],
      ],
    );
  });

  it('describes the log dirs of all three brokers, each holding only its own partition', async () => {
    const dirs = await admin.describeLogDirs({ topics: [{ topic, partitions: [0, 1, 2] }] });
    assert.deepEqual([...new Set(dirs.map((d) => d.brokerId))], ids);
    for (const [i, id] of ids.entries()) {
      const held = dirs
        .filter((d) => d.brokerId === id)
        .flatMap((d) => d.topics)
        .filter((t) => t.topic === topic)
        .flatMap((t) => t.partitions.map((p) => p.partition));
      assert.deepEqual(held, [i], `broker ${id} holds partition ${i}`);
    }
  });

  it('moves a replica to another broker: in progress under a throttle, cancelled, then completed', async () => {
    const [from, to] = [ids[0]!, ids[1]!];
    // Enough data that a throttled follower cannot copy it in one fetch (replica.fetch.max.bytes is 1 MiB).
    const record = 'x'.repeat(1000);
    await kcatProduce(
      topic,
      0,
      Array.from({ length: 1600 }, () => record),
      { brokers: cluster.bootstrap, extra: ['-X', 'linger.ms=20'] },
    );
    const highBefore = (await admin.fetchTopicOffsets(topic))[0]!.high;
    const throttle = async (op: AlterConfigOpType) => {
      await admin.incrementalAlterConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'leader.replication.throttled.replicas', value: '*', operation: op }],
          },
          {
            type: ConfigResourceTypes.BROKER,
            name: String(from),
            configEntries: [{ name: 'leader.replication.throttled.rate', value: '10000', operation: op }],
          },
        ],
      });
    };
    await throttle(AlterConfigOpTypes.SET);
    await sleep(500); // the throttle reaches the broker through the metadata log

    await admin.alterPartitionReassignments({
      topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [to] }] }],
    });
    const inProgress = await waitFor('the reassignment to be listed', async () => {
      const listed = await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0] }] });
      return listed.topics[0]?.partitions[0];
    });
    assert.equal(inProgress.partition, 0);
    assert.equal(inProgress.partitionIndex, 0, "KafkaJS's name for the partition");
    assert.deepEqual(inProgress.addingReplicas, [to]);
    assert.deepEqual(inProgress.removingReplicas, [from]);
    assert.deepEqual([...inProgress.replicas].sort(), [from, to].sort());

    // Cancelling (replicas: null) drops the adding replica and keeps the original one.
    await admin.alterPartitionReassignments({
      topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: null }] }],
    });
    await waitFor('the cancelled reassignment to disappear', async () => {
      const listed = await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0] }] });
      return listed.topics.flatMap((t) => t.partitions).length === 0 ? true : undefined;
    });
    await waitFor('the metadata to show the original replica only', async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const p0 = topics[0]!.partitions.find((p) => p.partitionId === 0)!;
      return p0.replicas.length === 1 && p0.replicas[0] === from ? true : undefined;
    });

    await throttle(AlterConfigOpTypes.DELETE);
    await admin.alterPartitionReassignments({
      topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [to] }] }],
    });
    await waitFor('the reassignment to complete', async () => {
      const listed = await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0] }] });
      return listed.topics.flatMap((t) => t.partitions).length === 0 ? true : undefined;
    });
    const moved = await waitFor('the metadata to show the new replica', async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const p0 = topics[0]!.partitions.find((p) => p.partitionId === 0)!;
      return p0.replicas.length === 1 && p0.replicas[0] === to ? p0 : undefined;
    });
    assert.equal(moved.leader, to);
    assert.equal((await admin.fetchTopicOffsets(topic))[0]!.high, highBefore, 'the records moved with it');
  });

  it('elects the preferred leader again after it was killed and restarted', async () => {
    const elected = uniqueTopicName('admin-3n-elect');
    const preferred = ids[2]!;
    const replicas = [preferred, ids[0]!, ids[1]!];
    await admin.createTopics({
      topics: [{ topic: elected, replicaAssignment: [{ partition: 0, replicas }] }],
    });
    const partition0 = async () =>
      (await admin.fetchTopicMetadata({ topics: [elected] })).topics[0]!.partitions[0]!;
    await waitFor('the preferred replica to lead with a full ISR', async () => {
      const p = await partition0();
      return p.leader === preferred && p.isr.length === 3 ? true : undefined;
    });

    await cluster.kill(preferred);
    const moved = await waitFor('the leadership to move off the killed broker', async () => {
      const p = await partition0();
      return p.leader !== preferred && p.leader >= 0 ? p.leader : undefined;
    });
    await cluster.restart(preferred);
    await waitFor('the restarted broker to rejoin the ISR', async () => {
      const p = await partition0();
      return p.isr.includes(preferred) ? true : undefined;
    });
    assert.equal((await partition0()).leader, moved, 'no automatic rebalance yet (it runs every 5 minutes)');

    const results = await admin.electLeaders({ topicPartitions: [{ topic: elected, partitions: [0] }] });
    assert.deepEqual(
      results.map((r) => [r.topic, r.partition, r.errorCode]),
      [[elected, 0, 0]],
    );
    await waitFor('the preferred replica to lead again', async () =>
      (await partition0()).leader === preferred ? true : undefined,
    );
    await admin.deleteTopics({ topics: [elected] });
  });
});
