/**
 * The client lifecycle as a KafkaJS program (or a framework such as NestJS, which maps the
 * events to its status stream) observes it, against the real broker: connect → disconnect →
 * connect for each client, CONNECT once per connect, run() called twice, and a crashed consumer
 * (STOP, DISCONNECT, then CRASH; restarted by itself for a retriable error unless
 * `retry.restartOnFailure` says no). KafkaJS's behaviour read from node_modules/kafkajs/src/consumer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Consumer, Kafka, type LogEntry, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from '../consumer/helpers.js';

const entries: LogEntry[] = [];
const kafka = new Kafka({
  clientId: 'lifecycle-parity',
  brokers: brokers(),
  logLevel: logLevel.INFO,
  logCreator: () => (entry) => void entries.push(entry),
  retry: { initialRetryTime: 100, retries: 2 },
});

/** The names of the consumer's lifecycle events, in order, as a listener sees them. */
function recordEvents(consumer: Consumer): Array<{ type: string; payload: Record<string, unknown> }> {
  const events: Array<{ type: string; payload: Record<string, unknown> }> = [];
  for (const name of [
    consumer.events.CONNECT,
    consumer.events.GROUP_JOIN,
    consumer.events.STOP,
    consumer.events.DISCONNECT,
    consumer.events.CRASH,
  ]) {
    consumer.on(name, (e) => events.push({ type: e.type, payload: e.payload }));
  }
  return events;
}

const types = (events: Array<{ type: string }>) => events.map((e) => e.type.replace('consumer.', ''));

describe('KafkaJS lifecycle parity', () => {
  const producer = kafka.producer();
  before(() => producer.connect());
  after(() => producer.disconnect());

  it('producer: connect → disconnect → connect sends again; one CONNECT per connect', async () => {
    const topic = uniqueTopicName('lifecycle-producer');
    await createTopic(topic, 1);
    const p = kafka.producer();
    let connects = 0;
    let disconnects = 0;
    p.on(p.events.CONNECT, () => void connects++);
    p.on(p.events.DISCONNECT, () => void disconnects++);
    await p.connect();
    await p.send({ topic, messages: [{ value: 'first' }] });
    await p.disconnect();
    await p.connect();
    const [meta] = await p.send({ topic, messages: [{ value: 'second' }] });
    await p.disconnect();
    assert.equal(meta?.errorCode, 0);
    assert.equal(meta?.baseOffset, '1', 'the second record follows the first');
    assert.deepEqual([connects, disconnects], [2, 2]);
  });

  it('admin: connect → disconnect → connect answers again', async () => {
    const topic = uniqueTopicName('lifecycle-admin');
    await createTopic(topic, 1);
    const admin = kafka.admin();
    let connects = 0;
    admin.on(admin.events.CONNECT, () => void connects++);
    await admin.connect();
    assert.ok((await admin.listTopics()).includes(topic));
    await admin.disconnect();
    await admin.connect();
    assert.ok((await admin.listTopics()).includes(topic));
    await admin.disconnect();
    assert.equal(connects, 2);
  });

  it('consumer: connect → run → disconnect → connect → run consumes again; one CONNECT per connect', async () => {
    const topic = uniqueTopicName('lifecycle-reconnect');
    await createTopic(topic, 1);
    const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    const events = recordEvents(consumer);
    const seen: string[] = [];
    const eachMessage = async ({ message }: { message: { value: Buffer | null } }) =>
      void seen.push(message.value!.toString());

    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage });
    await producer.send({ topic, messages: [{ value: 'one' }] });
    await waitFor(() => seen.length === 1, 30_000, 'the first record');
    await consumer.disconnect();

    await consumer.connect();
    await consumer.run({ eachMessage });
    await producer.send({ topic, messages: [{ value: 'two' }] });
    await waitFor(() => seen.length === 2, 30_000, 'the record after reconnecting');
    await consumer.disconnect();

    assert.deepEqual(seen, ['one', 'two']);
    assert.deepEqual(types(events), [
      'connect',
      'group_join',
      'stop',
      'disconnect',
      'connect',
      'group_join',
      'stop',
      'disconnect',
    ]);
  });

  it('run() while running: KafkaJS ignores it with a warning and keeps the first handlers', async () => {
    const topic = uniqueTopicName('lifecycle-run-twice');
    await createTopic(topic, 1);
    const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    const first: string[] = [];
    const second: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    const running = consumer.run({
      eachMessage: async ({ message }) => void first.push(String(message.value)),
    });
    // Called during the first join and after it: both resolve, neither replaces the handler.
    await consumer.run({ eachMessage: async ({ message }) => void second.push(String(message.value)) });
    await running;
    await consumer.run({ eachMessage: async ({ message }) => void second.push(String(message.value)) });
    await producer.send({ topic, messages: [{ value: 'x' }] });
    await waitFor(() => first.length === 1, 30_000, 'the record');
    await consumer.disconnect();
    assert.deepEqual(second, []);
    const warnings = entries.filter(
      (e) =>
        e.log.message === 'consumer#run was called, but the consumer is already running' &&
        e.log.groupId === `g-${topic}`,
    );
    assert.equal(warnings.length, 2);
    assert.equal(warnings[0]!.level, logLevel.WARN);
  });

  it('a crash that restartOnFailure refuses: STOP, DISCONNECT, CRASH (restart false); connect + run work again', async () => {
    const topic = uniqueTopicName('lifecycle-crash-final');
    await createTopic(topic, 1);
    const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    const events = recordEvents(consumer);
    const asked: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await producer.send({ topic, messages: [{ value: 'poison' }] });
    await consumer.run({
      eachMessage: async () => {
        throw new Error('poison');
      },
      restartOnFailure: async (e) => {
        asked.push(e.message);
        return false;
      },
    });
    await waitFor(() => events.some((e) => e.type === 'consumer.crash'), 30_000, 'the crash');
    assert.deepEqual(types(events), ['connect', 'group_join', 'stop', 'disconnect', 'crash']);
    const crash = events.at(-1)!.payload;
    assert.equal((crash.error as Error).message, 'poison');
    assert.equal(crash.restart, false);
    assert.equal(crash.groupId, `g-${topic}`);
    assert.deepEqual(asked, ['poison']);
    // Nothing restarts it behind the program's back.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(events.length, 5);

    // The program reconnects and runs with a handler that works: the record was not committed.
    const seen: string[] = [];
    await consumer.connect();
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await waitFor(() => seen.length === 1, 30_000, 'the record again');
    await consumer.disconnect();
    assert.deepEqual(seen, ['poison']);
  });

  it('a retriable crash restarts by itself (default): CRASH restart true, then CONNECT and a new join', async () => {
    const topic = uniqueTopicName('lifecycle-crash-restart');
    await createTopic(topic, 1);
    const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    const events = recordEvents(consumer);
    let attempts = 0;
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await producer.send({ topic, messages: [{ value: 'flaky' }] });
    await consumer.run({
      eachMessage: async ({ message }) => {
        // Fails the first attempt and its 2 retries (retry.retries = 2), then succeeds.
        if (++attempts <= 3) throw new Error('flaky');
        seen.push(String(message.value));
      },
    });
    await waitFor(() => seen.length === 1, 60_000, 'the record after the restart');
    assert.deepEqual(types(events), [
      'connect',
      'group_join',
      'stop',
      'disconnect',
      'crash',
      'connect',
      'group_join',
    ]);
    assert.equal(events[4]!.payload.restart, true);
    assert.ok(
      entries.some(
        (e) => e.log.message === 'Restarting the consumer in 100ms' && e.log.groupId === `g-${topic}`,
      ),
      'KafkaJS\'s "Restarting the consumer" line',
    );
    await consumer.disconnect();
    assert.deepEqual(seen, ['flaky']);
  });

  it('a handler TypeError is not retried and does not restart (KafkaJS: a programming error)', async () => {
    const topic = uniqueTopicName('lifecycle-crash-typeerror');
    await createTopic(topic, 1);
    const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    const events = recordEvents(consumer);
    let attempts = 0;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await producer.send({ topic, messages: [{ value: 'bug' }] });
    await consumer.run({
      eachMessage: async () => {
        attempts++;
        (undefined as unknown as { x: () => void }).x();
      },
    });
    await waitFor(() => events.some((e) => e.type === 'consumer.crash'), 30_000, 'the crash');
    assert.equal(attempts, 1);
    assert.equal(events.at(-1)!.payload.restart, false);
    assert.ok(events.at(-1)!.payload.error instanceof TypeError);
    await consumer.disconnect();
  });
});
