/**
 * A `run()` whose first join cannot complete rejects within its `joinTimeout` with a typed error
 * naming the cause, leaves the consumer stopped and disconnected (KafkaJS's STOP, DISCONNECT and
 * CRASH events), and a
 * later successful `run()` consumes every record once: nothing twice, nothing lost.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KafkaJSGroupJoinTimeout } from '../../../src/consumer/index.js';
import { Kafka, KafkaJSProtocolError, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

describe('consumer run() whose join cannot complete', () => {
  const kafka = new Kafka({ clientId: 'run-failures', brokers: brokers(), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  after(() => producer.disconnect());

  it('an unknown topic (auto-creation off) rejects within joinTimeout; run() after it is created consumes each record once', async () => {
    const topic = uniqueTopicName('consumer-run-unknown');
    const groupId = `g-${topic}`;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      joinTimeout: 4_000,
      maxWaitTimeInMs: 200,
    });
    const events: Array<{ type: string; payload: Record<string, unknown> }> = [];
    for (const name of [consumer.events.CRASH, consumer.events.STOP, consumer.events.DISCONNECT]) {
      consumer.on(name, (e) => events.push({ type: e.type, payload: e.payload }));
    }
    const got: string[] = [];
    const eachMessage = async ({ message }: { message: { value: Buffer | null } }) =>
      void got.push(message.value!.toString());
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });

    const started = Date.now();
    const error = await consumer.run({ eachMessage }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    assert.ok(error instanceof KafkaJSGroupJoinTimeout, `a KafkaJSGroupJoinTimeout, got ${String(error)}`);
    assert.equal(error.groupId, groupId);
    assert.equal(error.timeoutMs, 4_000);
    assert.ok(error.cause instanceof KafkaJSProtocolError);
    assert.equal(error.cause.type, 'UNKNOWN_TOPIC_OR_PARTITION');
    assert.match(error.message, new RegExp(`${topic}.*allowAutoTopicCreation is false`));
    assert.ok(took >= 3_500 && took < 15_000, `rejected after the join timeout (${took} ms)`);
    assert.deepEqual(
      events.map((e) => e.type),
      ['consumer.stop', 'consumer.disconnect', 'consumer.crash'],
      "KafkaJS's crash sequence",
    );
    assert.equal(events[2]!.payload.restart, false, 'run() rejected: nothing restarts behind it');
    assert.equal(events[2]!.payload.error, error);

    // The topic appears; the same consumer runs again and reads each record once.
    await createTopic(topic, 2);
    await producer.connect();
    const first = Array.from({ length: 10 }, (_, i) => `first-${i}`);
    await producer.send({ topic, messages: first.map((value, i) => ({ value, partition: i % 2 })) });
    await consumer.run({ eachMessage });
    await waitFor(() => got.length >= first.length, 30_000, 'the first records');
    await consumer.disconnect();
    assert.deepEqual([...got].sort(), [...first].sort());

    // A new member of the group starts from the committed offsets: only the new records.
    const second = Array.from({ length: 6 }, (_, i) => `second-${i}`);
    await producer.send({ topic, messages: second.map((value, i) => ({ value, partition: i % 2 })) });
    const again = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await again.connect();
    await again.subscribe({ topics: [topic], fromBeginning: true });
    await again.run({ eachMessage });
    await waitFor(() => got.length >= first.length + second.length, 30_000, 'the second records');
    await new Promise((r) => setTimeout(r, 1_000));
    await again.disconnect();
    assert.deepEqual([...got].sort(), [...first, ...second].sort(), 'every record once, none twice');
  });

  it('a join held past joinTimeout (classic, a member slow to rejoin) rejects; the next run() duplicates nothing', async () => {
    const topic = uniqueTopicName('consumer-run-held');
    await createTopic(topic, 2);
    const groupId = `g-${topic}`;
    await producer.connect();
    const seen = new Map<string, number>();
    const count = (v: string) => void seen.set(v, (seen.get(v) ?? 0) + 1);
    const options = {
      groupId,
      groupProtocol: 'classic' as const,
      maxWaitTimeInMs: 200,
      heartbeatInterval: 300,
      sessionTimeout: 10_000,
      rebalanceTimeout: 20_000,
    };
    // `slow` holds its handler for 8 s on the first record: the broker holds the newcomer's
    // JoinGroup until slow rejoins, longer than the newcomer's joinTimeout.
    const slow = kafka.consumer(options);
    let holding = true;
    await slow.connect();
    await slow.subscribe({ topics: [topic], fromBeginning: true });
    await slow.run({
      eachMessage: async ({ message }) => {
        if (holding) {
          holding = false;
          await new Promise((r) => setTimeout(r, 8_000));
        }
        count(message.value!.toString());
      },
    });
    await producer.send({ topic, messages: [{ value: 'a-0', partition: 0 }] });
    await new Promise((r) => setTimeout(r, 1_000));

    const newcomer = kafka.consumer({ ...options, joinTimeout: 3_000 });
    await newcomer.connect();
    await newcomer.subscribe({ topics: [topic], fromBeginning: true });
    const started = Date.now();
    await assert.rejects(
      newcomer.run({ eachMessage: async ({ message }) => count(message.value!.toString()) }),
      KafkaJSGroupJoinTimeout,
    );
    assert.ok(Date.now() - started < 12_000, 'within its timeout');

    const values = Array.from({ length: 20 }, (_, i) => `b-${i}`);
    await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % 2 })) });
    await newcomer.run({ eachMessage: async ({ message }) => count(message.value!.toString()) });
    await waitFor(() => seen.size === 21, 60_000, 'every record');
    await new Promise((r) => setTimeout(r, 2_000));
    await newcomer.disconnect();
    await slow.disconnect();
    const twice = [...seen].filter(([, n]) => n > 1).map(([v]) => v);
    assert.deepEqual(twice, [], 'nothing consumed twice');
  });
});
