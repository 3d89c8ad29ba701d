/**
 * KafkaJS's consumer lifecycle, which frameworks built on KafkaJS depend on: `run()` resolves
 * only after the first join (GROUP_JOIN, with KafkaJS's payload, already emitted), so records
 * produced right after it are consumed even from the latest offset — what NestJS does with its
 * reply partitions; REBALANCING only for joins after the first; STOP / DISCONNECT and KafkaJS's
 * INFO lines; and the classic protocol when the program brings its own partition assigners.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Consumer, ConsumerOptions } from '../../../src/consumer/index.js';
import { Kafka, type LogEntry, logLevel, PartitionAssigners } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

type Protocol = 'classic' | 'consumer';

function kafkaWithLog(entries: LogEntry[]): Kafka {
  return new Kafka({
    clientId: 'lifecycle',
    brokers: brokers(),
    logLevel: logLevel.INFO,
    logCreator: () => (entry) => void entries.push(entry),
  });
}

const KAFKAJS_JOIN_FIELDS = [
  'duration',
  'groupId',
  'groupProtocol',
  'isLeader',
  'leaderId',
  'memberAssignment',
  'memberId',
];

export function lifecycleTests(protocols: readonly Protocol[]): void {
  for (const protocol of protocols) {
    describe(`consumer lifecycle (${protocol})`, () => {
      it('run() resolves after GROUP_JOIN; records produced right after it are consumed from latest, 10 runs of 10', async () => {
        const entries: LogEntry[] = [];
        const kafka = kafkaWithLog(entries);
        const topic = uniqueTopicName(`consumer-lifecycle-${protocol}`);
        await createTopic(topic, 3);
        const producer = kafka.producer();
        await producer.connect();
        // Records already in the log before any run: a latest-offset consumer must not see them.
        await producer.send({ topic, messages: [{ value: 'old' }, { value: 'old' }, { value: 'old' }] });
        const runMs: number[] = [];
        const deliveryMs: number[] = [];
        for (let run = 0; run < 10; run++) {
          // Classic the way NestJS gets it: its own partitionAssigners and no groupProtocol.
          const consumer = kafka.consumer({
            groupId: `g-${topic}-${run}`,
            ...(protocol === 'classic'
              ? { partitionAssigners: [PartitionAssigners.roundRobin] }
              : { groupProtocol: 'consumer' as const }),
            maxWaitTimeInMs: 200,
            heartbeatInterval: 500,
          });
          const got: string[] = [];
          let join: Record<string, unknown> | undefined;
          consumer.on(consumer.events.GROUP_JOIN, (e) => {
            join ??= e.payload;
          });
          await consumer.connect();
          await consumer.subscribe({ topics: [topic], fromBeginning: false });
          const runStarted = Date.now();
          await consumer.run({
            eachMessage: async ({ message }) => void got.push(message.value!.toString()),
          });
          runMs.push(Date.now() - runStarted);
          // What NestJS does: read the assignment from GROUP_JOIN, then produce to it at once.
          assert.ok(join, `run ${run}: GROUP_JOIN was emitted before run() resolved`);
          assert.deepEqual(Object.keys(join).sort(), KAFKAJS_JOIN_FIELDS);
          const assignment = join.memberAssignment as Record<string, number[]>;
          assert.deepEqual(assignment[topic], [0, 1, 2], `run ${run}: the assignment in GROUP_JOIN`);
          assert.equal(join.groupProtocol, protocol === 'classic' ? 'roundrobin' : 'consumer');
          const producedAt = Date.now();
          const expected: string[] = [];
          for (const partition of assignment[topic]!) {
            const value = `run${run}-p${partition}`;
            expected.push(value);
            await producer.send({ topic, messages: [{ partition, value }] });
          }
          await waitFor(() => got.length >= expected.length, 30_000, `run ${run}: the records`);
          deliveryMs.push(Date.now() - producedAt);
          await new Promise((r) => setTimeout(r, 300));
          assert.deepEqual(
            got.sort(),
            expected.sort(),
            `run ${run}: every record produced after run(), once`,
          );
          await consumer.disconnect();
        }
        await producer.disconnect();
        console.log(
          `[figures] lifecycle ${protocol}: 10/10 runs, run() took ${Math.min(...runMs)}-${Math.max(...runMs)} ms, ` +
            `produce-to-consumed ${Math.min(...deliveryMs)}-${Math.max(...deliveryMs)} ms`,
        );
      });

      it('emits KafkaJS events and INFO lines: no REBALANCING on the first join, one on a later rebalance', async () => {
        const entries: LogEntry[] = [];
        const kafka = kafkaWithLog(entries);
        const topic = uniqueTopicName(`consumer-lifecycle-events-${protocol}`);
        await createTopic(topic, 2);
        const groupId = `g-${topic}`;
        const options: ConsumerOptions = {
          groupId,
          groupProtocol: protocol,
          maxWaitTimeInMs: 200,
          heartbeatInterval: 300,
          sessionTimeout: 10_000,
        };
        const a = kafka.consumer(options);
        const events: string[] = [];
        for (const name of [
          a.events.GROUP_JOIN,
          a.events.REBALANCING,
          a.events.STOP,
          a.events.DISCONNECT,
          a.events.CRASH,
        ]) {
          a.on(name, (e) => events.push(e.type));
        }
        await a.connect();
        await a.subscribe({ topics: [topic] });
        await a.run({ eachMessage: async () => {} });
        assert.deepEqual(events, ['consumer.group_join'], 'the first join is a GROUP_JOIN, not a rebalance');

        const b: Consumer = kafka.consumer(options);
        await b.connect();
        await b.subscribe({ topics: [topic] });
        await b.run({ eachMessage: async () => {} });
        await waitFor(
          () => a.assignment().length === 1 && b.assignment().length === 1,
          60_000,
          'a 1/1 split',
        );
        await waitFor(
          () => events.filter((e) => e === 'consumer.group_join').length >= 2,
          30_000,
          'a rejoin',
        );
        assert.equal(events[1], 'consumer.rebalancing', 'the second member made the first one rebalance');
        await b.disconnect();
        await a.disconnect();
        assert.deepEqual(events.slice(-2), ['consumer.stop', 'consumer.disconnect']);
        assert.ok(!events.includes('consumer.crash'));

        const lines = entries.filter((e) => e.level === logLevel.INFO && e.log.groupId === groupId);
        const find = (namespace: string, message: string) =>
          lines.find((e) => e.namespace === namespace && e.log.message === message);
        assert.ok(find('Consumer', 'Starting'), 'Consumer: Starting');
        const joined = find('ConsumerGroup', 'Consumer has joined the group');
        assert.ok(joined, 'ConsumerGroup: Consumer has joined the group');
        assert.equal(joined.label, 'INFO');
        assert.deepEqual(
          KAFKAJS_JOIN_FIELDS.filter((f) => !(f in joined.log)),
          [],
          'the join line carries the GROUP_JOIN fields',
        );
        assert.ok(find('Consumer', 'Stopped'), 'Consumer: Stopped');
      });
    });
  }

  describe('consumer group protocol choice', () => {
    it('partitionAssigners without groupProtocol: the classic protocol, said at INFO', async () => {
      const entries: LogEntry[] = [];
      const kafka = kafkaWithLog(entries);
      const topic = uniqueTopicName('consumer-protocol-choice');
      await createTopic(topic, 2);
      const groupId = `g-${topic}`;
      const consumer = kafka.consumer({
        groupId,
        partitionAssigners: [PartitionAssigners.range],
        maxWaitTimeInMs: 200,
      });
      let join: Record<string, unknown> | undefined;
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        join = e.payload;
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({ eachMessage: async () => {} });
      assert.equal(join?.groupProtocol, 'range', 'the classic protocol ran the given assigner');
      const description = await consumer.describeGroup();
      assert.equal(description.protocol, 'range');
      const why = entries.find(
        (e) => e.level === logLevel.INFO && e.log.message.includes('classic group protocol'),
      );
      assert.ok(why, 'the choice is logged at INFO');
      assert.match(why.log.message, /partitionAssigners/);
      await consumer.disconnect();
    });
  });
}
