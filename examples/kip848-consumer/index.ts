/**
 * The KIP-848 consumer group protocol (Kafka 4.0+): the broker computes the assignment, members
 * heartbeat with ConsumerGroupHeartbeat, and a member joining or leaving moves only the partitions
 * that must move — the others keep being consumed, with no stop-the-world rebalance.
 *
 * kafkats picks this protocol by default when the broker supports it; this example says so
 * explicitly (`groupProtocol: 'consumer'`) and chooses the broker's `uniform` assignor. Two members
 * share a 6-partition topic; the example prints each member's partitions before and after the
 * second one leaves, and the group as `describeConsumerGroups` (ConsumerGroupDescribe) reports it.
 *
 * Uses the cluster in KAFKA_BOOTSTRAP_SERVERS when it is set (Kafka 4.x); otherwise starts a local
 * broker with kafkats/testing and stops it at the end.
 *
 *   npx tsx examples/kip848-consumer/index.ts
 */
import { type Consumer, Kafka, logLevel } from '../../src/index.js';
import { useKafka } from '../../src/testing/index.js';

const PARTITIONS = 6;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

const owned = (consumer: Consumer) =>
  consumer
    .assignment()
    .map((tp) => tp.partition)
    .sort((a, b) => a - b);

async function main(): Promise<void> {
  if (!process.env.KAFKA_BOOTSTRAP_SERVERS)
    console.log('KAFKA_BOOTSTRAP_SERVERS is not set: starting a local Kafka broker…');
  // A broker started here heartbeats every second instead of Kafka's default 5 s, so that the
  // partitions move quickly; an external broker keeps its own settings.
  const cluster = await useKafka({
    brokerProperties: {
      'group.consumer.heartbeat.interval.ms': 1000,
      'group.consumer.min.heartbeat.interval.ms': 1000,
    },
  });
  const kafka = new Kafka({ clientId: 'kip848-example', brokers: cluster.brokers, logLevel: logLevel.WARN });
  const topic = `kip848-${Date.now()}-${process.pid}`;
  const groupId = `${topic}-group`;

  const admin = kafka.admin();
  const producer = kafka.producer();
  const options = { groupId, groupProtocol: 'consumer', groupRemoteAssignor: 'uniform' } as const;
  const first = kafka.consumer(options);
  const second = kafka.consumer(options);
  const counts = new Map<Consumer, number>([
    [first, 0],
    [second, 0],
  ]);

  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    await producer.connect();
    const produce = (n: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
      });
    await produce(60);

    for (const consumer of [first, second]) {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async () => {
          counts.set(consumer, counts.get(consumer)! + 1);
        },
      });
    }

    await until(
      'both members own partitions',
      () =>
        owned(first).length > 0 &&
        owned(second).length > 0 &&
        owned(first).length + owned(second).length === PARTITIONS,
    );
    console.log(`two members: first owns [${owned(first)}], second owns [${owned(second)}]`);

    const { groups } = await admin.describeConsumerGroups([groupId]);
    const group = groups[0]!;
    console.log(
      `group ${group.state}, epoch ${group.groupEpoch}, assignor ${group.assignor}, ${group.members.length} members`,
    );
    if (group.assignor !== 'uniform' || group.members.length !== 2)
      throw new Error('unexpected group description');

    await produce(60);
    await until('both members consumed', () => counts.get(first)! + counts.get(second)! >= 120);
    if (counts.get(second) === 0) throw new Error('the second member consumed nothing');

    const keptByFirst = owned(first);
    await second.disconnect(); // leaves the group: its partitions move to the first member
    await until('the first member owns every partition', () => owned(first).length === PARTITIONS);
    console.log(`second left: first owns [${owned(first)}] (kept [${keptByFirst}] throughout)`);

    await produce(60);
    await until('all 180 messages are consumed', () => counts.get(first)! + counts.get(second)! >= 180);
    console.log(`consumed: first ${counts.get(first)}, second ${counts.get(second)}`);
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    console.log('kip848-consumer: OK');
  } finally {
    await first.disconnect().catch(() => {});
    await second.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
