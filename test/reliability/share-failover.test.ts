/**
 * Share group coordinator failover on a 3-node cluster of its own (started here): a share consumer
 * reads a 3-partition RF-3 topic; partway through, the broker that coordinates its share group is
 * SIGKILLed. The group must settle on the coordinator that takes over (the member is still in the
 * group, with its assignment, after several session timeouts, and its heartbeats stop failing),
 * and every record must be delivered and acknowledged at least once: the distinct offsets handed
 * to the handler cover the whole topic, and the group's lag (records not yet acknowledged) is 0
 * on every partition.
 *
 * Session timeout and heartbeat interval are shortened on the brokers, so that a member whose
 * heartbeats stopped reaching a coordinator would be dropped within the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin } from '../../src/admin/admin.js';
import { Kafka } from '../../src/kafka.js';
import { type LogEntry, logLevel } from '../../src/logger.js';
import type { Cluster } from '../../src/network/cluster.js';
import type { ShareConsumer } from '../../src/share/consumer.js';
import { type KafkaCluster, startKafka } from '../../src/testing/index.js';
import { createTopic, sleep, waitFor } from './helpers.js';

const PARTITIONS = 3;
const RECORDS = 3_000;
const SESSION_TIMEOUT_MS = 6_000;

describe('share group coordinator failover (3 nodes, SIGKILL)', () => {
  let harness: KafkaCluster;
  const topic = `rel-share-failover-${Date.now()}`;
  const groupId = `${topic}-group`;
  const clusters: Cluster[] = [];
  const admins: Admin[] = [];
  let consumer: ShareConsumer | undefined;

  const kafka = (clientId: string, logCreator?: () => (entry: LogEntry) => void) =>
    new Kafka({
      clientId,
      brokers: harness.brokers,
      logLevel: logCreator ? logLevel.INFO : logLevel.NOTHING,
      logCreator,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1_000 },
    });

  /** A fresh client view, so that no cached coordinator answers for the cluster. */
  async function adminCluster(): Promise<Cluster> {
    const cluster = kafka('rel-share-failover-admin').cluster();
    clusters.push(cluster);
    await cluster.connect();
    return cluster;
  }

  /** A fresh admin client (its own metadata and coordinator caches). */
  async function freshAdmin(): Promise<Admin> {
    const admin = kafka('rel-share-failover-admin').admin();
    admins.push(admin);
    await admin.connect();
    return admin;
  }

  before(async () => {
    const started = Date.now();
    harness = await startKafka({
      nodes: 3,
      heapMb: 384,
      brokerProperties: {
        'group.share.min.session.timeout.ms': SESSION_TIMEOUT_MS,
        'group.share.session.timeout.ms': SESSION_TIMEOUT_MS,
        'group.share.min.heartbeat.interval.ms': 1_000,
        'group.share.heartbeat.interval.ms': 1_000,
      },
    });
    console.log(`# 3-node Kafka ${harness.version} started in ${Date.now() - started} ms`);
  });

  after(async () => {
    await consumer?.disconnect().catch(() => {});
    for (const c of clusters) await c.disconnect().catch(() => {});
    for (const a of admins) await a.disconnect().catch(() => {});
    await harness?.stop();
  });

  it('the group settles on the new coordinator and every record is delivered and acknowledged', {
    timeout: 300_000,
  }, async () => {
    await createTopic(harness.brokers, topic, PARTITIONS, 3);
    const setup = await freshAdmin();
    await setup.alterShareGroupConfigs({ groupId, configs: { 'share.auto.offset.reset': 'earliest' } });
    const producer = kafka('rel-share-failover-producer').producer();
    await producer.connect();
    for (let i = 0; i < RECORDS; i += 100) {
      await producer.send({
        topic,
        messages: Array.from({ length: 100 }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}` })),
      });
    }
    await producer.disconnect();

    // what the consumer logs, with the time, to tell heartbeat failures after the kill
    const logs: Array<{ at: number; message: string; error?: string }> = [];
    const logCreator = () => (entry: LogEntry) =>
      logs.push({ at: Date.now(), message: entry.log.message, error: entry.log.error as string | undefined });
    const delivered = new Map<string, number>();
    let deliveredAfterKill = 0;
    let killedAt = 0;
    consumer = kafka('rel-share-failover', logCreator).shareConsumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = `${partition}:${message.offset}`;
        delivered.set(key, (delivered.get(key) ?? 0) + 1);
        if (killedAt > 0) deliveredAfterKill++;
        // slow enough that the kill lands in the middle of the topic
        await sleep(2);
      },
    });
    await waitFor(() => delivered.size >= RECORDS / 3, 120_000, 'a third of the records');

    const before = await adminCluster();
    const coordinator = (await before.findCoordinator('group', groupId)).nodeId;
    const [described] = (await (await freshAdmin()).describeShareGroups([groupId])).groups;
    const memberId = described?.members[0]?.memberId;
    assert.ok(memberId, 'the consumer is a member of the group');
    killedAt = Date.now();
    await harness.kill(coordinator);
    console.log(
      `[figures] share failover: killed coordinator node ${coordinator} after ${delivered.size} records`,
    );

    /** What the consumer logged since the kill, grouped, for a failure message. */
    const since = () => {
      const groups = new Map<string, { n: number; error?: string }>();
      for (const l of logs.filter((x) => x.at > killedAt)) {
        const g = groups.get(l.message) ?? { n: 0 };
        g.n++;
        g.error = l.error ?? g.error;
        groups.set(l.message, g);
      }
      return [...groups].map(([m, g]) => `${m} x${g.n}${g.error ? ` (last: ${g.error})` : ''}`).join('; ');
    };
    await waitFor(() => delivered.size >= RECORDS, 180_000, 'every record').catch((error: Error) => {
      throw new Error(
        `${error.message}: ${delivered.size} of ${RECORDS} delivered; logged since the kill: ${since()}`,
      );
    });
    const allDeliveredMs = Date.now() - killedAt;

    // Acknowledged: no partition has a record left unacknowledged (DescribeShareGroupOffsets' lag;
    // the start offset itself may stay behind the acknowledged records, as the broker persists it).
    const after = await adminCluster();
    const offsetsAdmin = kafka('rel-share-failover-offsets').admin();
    await offsetsAdmin.connect();
    const ends = new Map<number, number>();
    for (const p of await offsetsAdmin.fetchTopicOffsets(topic)) ends.set(p.partition, Number(p.high));
    await offsetsAdmin.disconnect();
    const afterAdmin = await freshAdmin();
    let offsets: Awaited<ReturnType<Admin['fetchShareGroupOffsets']>> = [];
    await waitFor(
      async () => {
        offsets = await afterAdmin.fetchShareGroupOffsets({ groupId, topics: [{ topic }] });
        return (
          offsets.length === PARTITIONS && offsets.every((o) => Number(o.startOffset) >= 0 && o.lag === '0')
        );
      },
      60_000,
      'every partition acknowledged to its end',
    ).catch((error: Error) => {
      const got = offsets.map(
        (o) => `${o.partition}: start ${o.startOffset} lag ${o.lag} of ${ends.get(o.partition)}`,
      );
      throw new Error(`${error.message}: ${got.join(', ')}; logged since the kill: ${since()}`);
    });

    // Settled: well past a session timeout later, the same member still holds every partition,
    // on a coordinator that is not the killed node, and its heartbeats have stopped failing.
    await sleep(2 * SESSION_TIMEOUT_MS);
    const newCoordinator = (await after.findCoordinator('group', groupId)).nodeId;
    assert.notEqual(newCoordinator, coordinator, 'another node coordinates the group');
    const [settled] = (await afterAdmin.describeShareGroups([groupId])).groups;
    assert.deepEqual(
      settled?.members.map((m) => m.memberId),
      [memberId],
      'the same member, not dropped for missed heartbeats',
    );
    assert.deepEqual(
      settled?.members[0]?.assignment.flatMap((a) => a.partitions).sort(),
      [0, 1, 2],
      'it holds every partition',
    );
    const failures = logs.filter((l) => l.at > killedAt && /heartbeat failed/i.test(l.message));
    const lastFailure = failures.at(-1)?.at ?? killedAt;
    assert.ok(
      Date.now() - lastFailure > SESSION_TIMEOUT_MS,
      `heartbeats failed until ${Date.now() - lastFailure} ms ago: ${failures.map((f) => f.error).slice(-3)}`,
    );

    const redelivered = [...delivered.values()].filter((n) => n > 1).length;
    console.log(
      `[figures] share failover: ${RECORDS} records, ${delivered.size} distinct delivered (0 lost), ` +
        `${redelivered} delivered more than once, ${deliveredAfterKill} deliveries after the kill, ` +
        `all delivered ${allDeliveredMs} ms after the kill, ${failures.length} heartbeat failures, ` +
        `coordinator ${coordinator} -> ${newCoordinator}, start offsets ${offsets.map((o) => o.startOffset).join('/')}`,
    );
    const missing = [];
    for (let p = 0; p < PARTITIONS; p++)
      for (let o = 0; o < ends.get(p)!; o++) if (!delivered.has(`${p}:${o}`)) missing.push(`${p}:${o}`);
    assert.deepEqual(missing, [], 'no record lost');
    assert.equal(
      [...ends.values()].reduce((a, b) => a + b, 0),
      RECORDS,
    );
  });
});
