/**
 * Consumer-side broker faults on a 3-node cluster (its own, started once for both scenarios):
 * RF 3, min.insync.replicas 2, 6 partitions. An idempotent producer streams unique values the
 * whole time; a consumer group processes them. Afterwards every value the producer had
 * acknowledged must have been processed at least once; duplicates are counted and printed.
 *
 * (a) classic group of 2 members: the leader of a partition (not the group coordinator) is
 *     SIGKILLed while the group consumes, then restarted.
 * (b) the group coordinator's broker (FindCoordinator) is SIGKILLed during the rebalance that a
 *     second member's arrival starts; the group must settle on the survivors (both members owning
 *     partitions) and keep consuming. Run with the classic protocol and with the default one
 *     (KIP-848 on Kafka 4.x).
 *
 * CONSUMER_FAULTS=a or =b runs one scenario; SETTLE_MS (60 s) bounds the wait for (b).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin } from '../../src/admin/index.js';
import type { Consumer, ConsumerOptions } from '../../src/consumer/index.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { Producer } from '../../src/producer/index.js';
import { type KafkaCluster, startKafka } from '../../src/testing/index.js';
import {
  ConsumeLog,
  createTopic,
  LogRecorder,
  ProduceStream,
  printConsumeTally,
  sleep,
  waitFor,
} from './helpers.js';

const PARTITIONS = 6;
/** `a`, `b` or both (default): which scenarios to run on the one cluster. */
const ONLY = process.env.CONSUMER_FAULTS ?? 'ab';

describe('consumer group under broker SIGKILL (3 nodes, RF 3, min ISR 2)', () => {
  let cluster: KafkaCluster;
  let kafka: Kafka;
  /** The consumers' client: logs at INFO into a recorder, printed when a scenario fails. */
  let consumerKafka: Kafka;
  const logs = new LogRecorder();
  let producer: Producer;
  let meta: ReturnType<Kafka['cluster']>;
  let admin: Admin;
  const consumers: Consumer[] = [];

  before(async () => {
    cluster = await startKafka({ nodes: 3, heapMb: 384, log: (l) => console.log(`[kafka] ${l}`) });
    kafka = new Kafka({
      clientId: 'rel-consumer-faults',
      brokers: cluster.brokers,
      retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.NOTHING,
    });
    consumerKafka = new Kafka({
      clientId: 'rel-consumer-faults-c',
      brokers: cluster.brokers,
      retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.INFO,
      logCreator: logs.logCreator,
    });
    producer = kafka.producer({ lingerMs: 2, retryBackoffMs: 100 });
    await producer.connect();
    meta = kafka.cluster();
    await meta.connect();
    admin = kafka.admin();
    await admin.connect();
  });
  after(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    await meta?.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
    await cluster?.stop();
  });

  const partitions = async (topic: string) => {
    await meta.refreshMetadata([topic]);
    return meta.metadata.topics.get(topic)!.partitions;
  };

  const allInSync = (topic: string) =>
    waitFor(
      async () => (await partitions(topic)).every((p) => p.isr.length === 3 && p.leader >= 0),
      120_000,
      'every replica back in the ISR',
    );

  /** A member that records every delivery into `log` and counts crashes. */
  async function member(
    topic: string,
    groupId: string,
    log: ConsumeLog,
    crashes: string[],
    options: ConsumerOptions,
    hook?: (c: Consumer) => void,
  ): Promise<Consumer> {
    const c = consumerKafka.consumer({
      groupId,
      maxWaitTimeInMs: 500,
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
      ...options,
    });
    consumers.push(c);
    c.on('consumer.commit_offsets', log.onCommit);
    c.on('consumer.crash', (e) => crashes.push(String((e.payload.error as Error)?.message)));
    const name = `m${consumers.length}`;
    for (const ev of ['consumer.group_join', 'consumer.rebalancing', 'consumer.stop'] as const)
      c.on(ev, (e) =>
        logs.lines.push(`${new Date().toISOString()} ${name} ${ev} ${JSON.stringify(e.payload)}`),
      );
    hook?.(c);
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      eachMessage: async ({ partition, message }) => {
        log.record(partition, message.offset, message.value!.toString());
      },
    });
    return c;
  }

  async function drain(stream: ProduceStream, log: ConsumeLog, what: string): Promise<void> {
    await stream.stop();
    await waitFor(() => log.unprocessed(stream.acknowledged).length === 0, 120_000, what);
  }

  /** What the running scenario produced and consumed, printed on failure. */
  const current = { progress: () => '' };
  const track = (stream: ProduceStream, log: ConsumeLog) => {
    current.progress = () =>
      `produced ${stream.produced}, acknowledged ${stream.acknowledged.size}, failed sends ` +
      `${stream.failedSends}, last ack ${stream.sinceLastAck} ms ago, consumed ${log.consumed}`;
  };

  /** On failure, the consumers' last log lines, the members' state and the produce/consume counts. */
  async function diagnosed(what: string, body: () => Promise<void>): Promise<void> {
    logs.lines.length = 0;
    current.progress = () => '';
    try {
      await body();
    } catch (error) {
      console.log(
        `[diagnosis] ${what}: assignments ${consumers.map((c) => c.assignment().length).join('/')}; ${current.progress()}`,
      );
      for (const l of logs.lines.filter((x) => !x.includes('Auto-commit failed')).slice(-60))
        console.log(`[diagnosis] ${l.slice(0, 400)}`);
      throw error;
    }
  }

  it(
    '(a) classic group of 2: SIGKILL and restart of a partition leader leaves no acknowledged record unprocessed',
    {
      timeout: 420_000,
      skip: !ONLY.includes('a') && 'CONSUMER_FAULTS',
    },
    () =>
      diagnosed('(a)', async () => {
        const topic = `rel-cf-leader-${Date.now()}`;
        const groupId = `g-${topic}`;
        await createTopic(cluster.brokers, topic, PARTITIONS, 3, { 'min.insync.replicas': '2' });
        const log = new ConsumeLog();
        const crashes: string[] = [];
        const stream = new ProduceStream(producer, topic, 'ca', 10, 10, 5).start();
        track(stream, log);
        const members = [
          await member(topic, groupId, log, crashes, {
            groupProtocol: 'classic',
            sessionTimeout: 10_000,
            heartbeatInterval: 1_000,
          }),
          await member(topic, groupId, log, crashes, {
            groupProtocol: 'classic',
            sessionTimeout: 10_000,
            heartbeatInterval: 1_000,
          }),
        ];
        try {
          await waitFor(
            () => members.every((m) => m.assignment().length > 0) && log.consumed >= 2_000,
            90_000,
            'both members consuming',
          );
          const coordinator = (await meta.findCoordinator('group', groupId)).nodeId;
          const ps = await partitions(topic);
          const victim = ps.find((p) => p.leader !== coordinator)?.leader ?? ps[0]!.leader;
          const led = ps.filter((p) => p.leader === victim).map((p) => p.partitionId);
          const consumedBefore = log.consumed;
          const t0 = Date.now();
          await cluster.kill(victim);
          await waitFor(() => log.consumed >= consumedBefore + 3_000, 90_000, 'consumption after the kill');
          const resumed = Date.now() - t0;
          await cluster.restart(victim);
          console.log(
            `[figures] (a) node ${victim} (leader of ${led.join(',')}; coordinator ${coordinator}) SIGKILLed; ` +
              `3,000 more consumed after ${resumed} ms, node back after ${Date.now() - t0} ms`,
          );
          await allInSync(topic);
          await stream.waitForAcks(1_000, 60_000, 'acks after the restart');
        } finally {
          await drain(stream, log, 'every acknowledged record processed');
        }
        printConsumeTally('consumer (a) leader SIGKILL, classic, 2 members', stream, log);
        console.log(`[figures] (a) crashes: ${crashes.length} ${crashes.slice(0, 3).join(' | ')}`);
        assert.equal(log.unprocessed(stream.acknowledged).length, 0, 'no acknowledged record unprocessed');
        assert.equal(log.belowCommitted, 0, 'nothing below a committed offset was delivered again');
        for (const m of members) await m.disconnect();
      }),
  );

  /**
   * The group's type as the brokers list it (ListGroups): `classic` or `consumer` (KIP-848), so a
   * scenario named for a protocol fails when the client fell back to the other one.
   */
  const groupType = async (groupId: string) =>
    (await admin.listGroups()).groups.find((g) => g.groupId === groupId)?.groupType;

  /** The coordinator's broker SIGKILLed while a second member joins. */
  const coordinatorKill = (
    label: string,
    protocol: 'classic' | undefined,
    expectedType: 'classic' | 'consumer',
  ) =>
    diagnosed(label, async () => {
      const topic = `rel-cf-coord-${Date.now()}`;
      const groupId = `g-${topic}`;
      await createTopic(cluster.brokers, topic, PARTITIONS, 3, { 'min.insync.replicas': '2' });
      await allInSync('__consumer_offsets').catch(() => {});
      const log = new ConsumeLog();
      const crashes: string[] = [];
      const joins: string[] = [];
      const stream = new ProduceStream(producer, topic, 'cb', 10, 10, 5).start();
      track(stream, log);
      // Classic: rebalanceTimeout also bounds a JoinGroup that the new coordinator holds (the
      // client's request timeout for it is rebalanceTimeout + 5 s).
      const options: ConsumerOptions = protocol
        ? {
            groupProtocol: protocol,
            sessionTimeout: 10_000,
            heartbeatInterval: 1_000,
            rebalanceTimeout: 20_000,
          }
        : {};
      const first = await member(topic, groupId, log, crashes, options);
      first.on('consumer.group_join', (e) => joins.push(String(e.payload.groupProtocol)));
      let second: Consumer | undefined;
      let killed: number | undefined;
      let ok = false;
      try {
        await waitFor(
          () => first.assignment().length === PARTITIONS && log.consumed >= 2_000,
          90_000,
          'the first member consuming everything',
        );
        assert.equal(await groupType(groupId), expectedType, `the group runs the ${expectedType} protocol`);
        const coordinator = (await meta.findCoordinator('group', groupId)).nodeId;
        // The rebalance: a second member joins; its arrival makes the first member rebalance
        // (REBALANCING is emitted for every join after a member's first, as in KafkaJS). The
        // coordinator is killed as soon as the first member starts rebalancing, while the second
        // member's run() is still waiting for its first join, so the join must complete on the
        // new coordinator.
        let joining = () => {};
        const joinStarted = new Promise<void>((r) => {
          joining = r;
        });
        first.on('consumer.rebalancing', () => joining());
        const secondJoined = member(topic, groupId, log, crashes, options);
        secondJoined.catch(() => {});
        await Promise.race([joinStarted, sleep(5_000)]);
        const during = `${first.assignment().length}/${consumers.length > 1 ? consumers.at(-1)!.assignment().length : 0}`;
        const consumedBefore = log.consumed;
        const t0 = Date.now();
        await cluster.kill(coordinator);
        killed = coordinator;
        logs.lines.push(`${new Date().toISOString()} killed coordinator ${coordinator} at ${during}`);
        // What FindCoordinator answers meanwhile, asked by a fresh client (no cache) every 2 s.
        let probing = true;
        const probe = (async () => {
          while (probing) {
            const k = new Kafka({
              clientId: 'probe',
              brokers: cluster.brokers,
              retry: { retries: 0 },
              logLevel: logLevel.NOTHING,
            });
            const c = k.cluster();
            try {
              await c.connect();
              const n = (await c.findCoordinator('group', groupId)).nodeId;
              logs.lines.push(`${new Date().toISOString()} FindCoordinator (fresh client): node ${n}`);
            } catch (e) {
              logs.lines.push(
                `${new Date().toISOString()} FindCoordinator (fresh client) failed: ${(e as Error).message}`,
              );
            } finally {
              await c.disconnect().catch(() => {});
            }
            await sleep(2_000);
          }
        })();
        // run() of the second member resolves once its first join completed on the new coordinator.
        second = await secondJoined;
        const pair = [first, second];
        try {
          await waitFor(
            () => {
              const owned = pair.flatMap((m) => m.assignment().map((p) => p.partition));
              return pair.every((m) => m.assignment().length > 0) && new Set(owned).size === PARTITIONS;
            },
            Number(process.env.SETTLE_MS ?? 60_000),
            'both members owning partitions after the coordinator died',
          );
        } finally {
          probing = false;
          await probe;
        }
        const settled = Date.now() - t0;
        logs.lines.push(`${new Date().toISOString()} settled`);
        if (expectedType === 'consumer') {
          // The new coordinator holds the group as a KIP-848 group with both members, once both
          // have heartbeated to it (until then it may not know them yet).
          let described = -1;
          await waitFor(
            async () => {
              const { groups } = await admin.describeConsumerGroups([groupId]).catch(() => ({ groups: [] }));
              described = groups[0]?.members.length ?? -1;
              return described === 2;
            },
            60_000,
            'ConsumerGroupDescribe shows both members after the move',
          ).catch((e: Error) => {
            throw new Error(`${e.message}: last answer ${described} member(s)`);
          });
        }
        await waitFor(() => log.consumed >= consumedBefore + 3_000, 90_000, 'consumption after the kill');
        meta.coordinators.invalidate('group', groupId);
        const newCoordinator = (await meta.findCoordinator('group', groupId).catch(() => undefined))?.nodeId;
        await cluster.restart(coordinator);
        killed = undefined;
        console.log(
          `[figures] ${label} protocol ${joins[0] ?? '?'}; coordinator node ${coordinator} SIGKILLed with the ` +
            `assignment at ${during} (first/second); group settled at ` +
            `${first.assignment().length}/${second.assignment().length} after ${settled} ms, ` +
            `new coordinator ${newCoordinator}; node back after ${Date.now() - t0} ms`,
        );
        await allInSync(topic);
        await stream.waitForAcks(1_000, 60_000, 'acks after the restart');
        ok = true;
      } finally {
        // On a failure nothing is drained.
        if (killed !== undefined) {
          // A failure left the node down: bring it back for the next scenario.
          console.log(`[diagnosis] ${label}: restarting node ${killed}`);
          await cluster.restart(killed).catch((e) => console.log(`[diagnosis] restart failed: ${e}`));
        }
        if (ok) await drain(stream, log, 'every acknowledged record processed');
        else await stream.stop();
      }
      printConsumeTally(
        `consumer ${label} coordinator SIGKILL during a rebalance, ${protocol ?? 'default'} protocol`,
        stream,
        log,
      );
      console.log(`[figures] ${label} crashes: ${crashes.length} ${crashes.slice(0, 3).join(' | ')}`);
      assert.equal(log.unprocessed(stream.acknowledged).length, 0, 'no acknowledged record unprocessed');
      await first.disconnect();
      await second?.disconnect();
    });

  it(
    '(b) classic group: the coordinator killed during a rebalance; the group recovers and consumption completes',
    {
      timeout: 420_000,
      skip: !ONLY.includes('b') && 'CONSUMER_FAULTS',
    },
    () => coordinatorKill('(b classic)', 'classic', 'classic'),
  );

  it(
    '(b) default protocol (KIP-848): the coordinator killed during a rebalance; the group recovers and consumption completes',
    {
      timeout: 420_000,
      skip: !ONLY.includes('b') && 'CONSUMER_FAULTS',
    },
    () => coordinatorKill('(b default)', undefined, 'consumer'),
  );
});
