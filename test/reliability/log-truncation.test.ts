/**
 * Log truncation detection (KIP-320) against real brokers: an unclean leader election makes the
 * new leader's log diverge from what the consumer read, and the consumer must notice.
 *
 * 3 nodes; one partition with replicas [L, F], `unclean.leader.election.enable`, min ISR 1.
 *   1. 10 records written to both replicas; F is SIGKILLed (the controller drops it from the ISR).
 *   2. 20 more records go to L alone (offsets 10–29); a consumer reads all 30 and is paused.
 *   3. L is SIGKILLed, F restarted and made leader by an unclean election: its log ends at 10.
 *   4. 40 new records are written to F: offsets 10–49, a different history.
 *   5. The consumer resumes. Its position (30) exists in the new log, so without validation it
 *      would read offsets 30–49 and silently skip the first 20 new records. With it, the
 *      consumer asks F where its last epoch ends (10), moves back there and reads all 40.
 *   6. A group member that read the same 30 records and left (committing offset 30 with leader
 *      epoch 0) has a successor: it validates the committed position the same way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ElectionTypes } from '../../src/admin/enums.js';
import type { Admin } from '../../src/admin/index.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { type KafkaCluster, startKafka } from '../../src/testing/index.js';
import { LogRecorder, sleep, waitFor } from './helpers.js';

describe('log truncation after an unclean leader election (3 nodes)', () => {
  let cluster: KafkaCluster;
  let kafka: Kafka;
  let admin: Admin;
  const logs = new LogRecorder();

  before(async () => {
    cluster = await startKafka({ nodes: 3, heapMb: 384, log: (l) => console.log(`[kafka] ${l}`) });
    kafka = new Kafka({
      clientId: 'rel-truncation',
      brokers: cluster.brokers,
      retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.INFO,
      logCreator: logs.logCreator,
    });
    admin = kafka.admin();
    await admin.connect();
  });
  after(async () => {
    await admin?.disconnect().catch(() => {});
    await cluster?.stop();
  });

  const partitionInfo = async (topic: string) => {
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return md.topics[0]!.partitions[0]!;
  };

  async function produce(values: string[], topic: string): Promise<void> {
    // A fresh producer each time: the new leader has none of the old producer's later sequences.
    const p = kafka.producer({ lingerMs: 0 });
    await p.connect();
    try {
      for (const value of values) await p.send({ topic, messages: [{ value }] });
    } finally {
      await p.disconnect();
    }
  }

  it('a consumer resumes at the divergence point and reads every record of the new history', {
    timeout: 300_000,
  }, async () => {
    const [l, f] = cluster.nodes.map((n) => n.nodeId);
    const topic = `rel-truncation-${Date.now()}`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          replicaAssignment: [{ partition: 0, replicas: [l!, f!] }],
          configEntries: [
            { name: 'unclean.leader.election.enable', value: 'true' },
            { name: 'min.insync.replicas', value: '1' },
          ],
        },
      ],
    });
    const old = Array.from({ length: 10 }, (_, i) => `old-${i}`);
    const lost = Array.from({ length: 20 }, (_, i) => `lost-${i + 10}`);
    const fresh = Array.from({ length: 40 }, (_, i) => `new-${i}`);

    await produce(old, topic);
    await cluster.kill(f!);
    for (let i = 0; (await partitionInfo(topic)).isr.length > 1; i++) {
      assert.ok(i < 120, 'the follower left the ISR within 60 s');
      await sleep(500);
    }
    await produce(lost, topic);

    // A group member reads the same 30 records and leaves, committing offset 30 with the leader
    // epoch of the record before it; its successor must validate that committed position.
    const groupId = `g-${topic}`;
    const groupGot: string[] = [];
    const first = kafka.consumer({ groupId, maxWaitTimeInMs: 200, groupProtocol: 'classic' });
    await first.connect();
    await first.subscribe({ topics: [topic], fromBeginning: true });
    await first.run({ eachMessage: async ({ message }) => void groupGot.push(message.value!.toString()) });
    await waitFor(() => groupGot.length === 30, 60_000, "the group member's first 30 records");
    await first.disconnect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    assert.equal(committed[0]!.partitions[0]!.offset, '30', 'committed on leaving');

    const got: string[] = [];
    const consumer = kafka.consumer({ autoOffsetReset: 'earliest', maxWaitTimeInMs: 200 });
    await consumer.connect();
    consumer.assign([{ topic, partitions: [0] }]);
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
    try {
      await waitFor(() => got.length === 30, 60_000, 'the first 30 records');
      assert.deepEqual(got, [...old, ...lost]);
      consumer.pause([{ topic }]);
      const epochBefore = (await partitionInfo(topic)).leaderEpoch ?? -1;

      await cluster.kill(l!);
      await cluster.restart(f!);
      let elected = false;
      for (let i = 0; !elected; i++) {
        assert.ok(i < 120, 'an unclean election made the restarted follower leader within 60 s');
        const r = await admin
          .electLeaders({
            electionType: ElectionTypes.UNCLEAN,
            topicPartitions: [{ topic, partitions: [0] }],
          })
          .catch(() => undefined);
        const p = await partitionInfo(topic).catch(() => undefined);
        elected = p?.leader === f && r !== undefined;
        if (!elected) await sleep(500);
      }
      const after = await partitionInfo(topic);
      console.log(
        `[figures] truncation: leader ${l} (epoch ${epochBefore}) SIGKILLed, ${f} elected uncleanly (epoch ${after.leaderEpoch})`,
      );
      await produce(fresh, topic);
      const offsets = await admin.fetchTopicOffsets(topic);
      assert.equal(offsets[0]!.high, '50', "the new leader's log: 10 old + 40 new records");

      const before = got.length;
      consumer.resume([{ topic }]);
      await waitFor(() => got.length >= before + 40, 90_000, 'the 40 records of the new history');
      await sleep(500);
      assert.deepEqual(got.slice(before), fresh, 'every new record, in order, none skipped');
      assert.ok(
        logs.lines.some((x) => x.includes('Log truncation detected')),
        'the consumer logged the truncation',
      );

      // The successor in the group starts from the committed offset (30, epoch 0).
      const successorGot: string[] = [];
      const successor = kafka.consumer({ groupId, maxWaitTimeInMs: 200, groupProtocol: 'classic' });
      await successor.connect();
      await successor.subscribe({ topics: [topic], fromBeginning: true });
      await successor.run({
        eachMessage: async ({ message }) => void successorGot.push(message.value!.toString()),
      });
      try {
        await waitFor(() => successorGot.length >= 40, 90_000, "the successor's 40 records");
        await sleep(500);
        assert.deepEqual(successorGot, fresh, 'the successor resumed at the divergence, not at 30');
      } finally {
        await successor.disconnect();
      }
    } catch (error) {
      for (const x of logs.lines.slice(-40)) console.log(`[diagnosis] ${x.slice(0, 300)}`);
      throw error;
    } finally {
      await consumer.disconnect();
      await cluster.restart(l!).catch(() => {});
    }
  });
});
