/**
 * KafkaJS programs' producer acks and createPartitions failures against the real broker, with
 * KafkaJS 2.2.4 itself (the kafkajs devDependency) run against the same broker where the test
 * compares what the two clients throw.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import {
  Kafka,
  type KafkaConfig,
  KafkaJSInvalidArgument,
  KafkaJSProtocolError,
  type LogEntry,
  logLevel,
} from '../../../src/index.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';

const require = createRequire(import.meta.url);
const kafkajs = require('kafkajs') as {
  Kafka: new (
    config: KafkaConfig,
  ) => {
    admin(): {
      connect(): Promise<void>;
      disconnect(): Promise<void>;
      createPartitions(o: { topicPartitions: Array<{ topic: string; count: number }> }): Promise<boolean>;
    };
  };
  logLevel: { NOTHING: 0 };
};

function kafkaWithLog(entries: LogEntry[]): Kafka {
  return new Kafka({
    clientId: 'runtime-parity',
    brokers: testCluster().brokers,
    logLevel: logLevel.INFO,
    logCreator: () => (entry) => entries.push(entry),
  });
}

async function readBack(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueTopicName('parity-group') });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${count}`)), 60_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values.sort();
}

describe('KafkaJS programs: acks per send', () => {
  it('send({ acks: 1 }) and send({ acks: 0 }) on a default producer deliver, with one warning', async () => {
    const entries: LogEntry[] = [];
    const kafka = kafkaWithLog(entries);
    const topic = uniqueTopicName('parity-acks');
    const producer = kafka.producer();
    await producer.connect();
    try {
      const [one] = await producer.send({ topic, acks: 1, messages: [{ value: 'acks-1' }] });
      assert.equal(one!.errorCode, 0);
      assert.equal(one!.topicName, topic);
      const zero = await producer.send({ topic, acks: 0, messages: [{ value: 'acks-0' }] });
      assert.ok(Array.isArray(zero));
      await producer.send({ topic, acks: 1, messages: [{ value: 'acks-1-again' }] });
    } finally {
      await producer.disconnect();
    }
    assert.deepEqual(await readBack(kafka, topic, 3), ['acks-0', 'acks-1', 'acks-1-again']);
    const warnings = entries.filter((e) => e.level === logLevel.WARN && /asked for acks/.test(e.log.message));
    assert.equal(warnings.length, 1, 'warned once, not per send');
    assert.match(warnings[0]!.log.message, /idempotent: false/);
  });

  it('kafka.producer({ acks: 1 }) turns the default idempotence off, logs why, and writes with acks 1', async () => {
    const entries: LogEntry[] = [];
    const kafka = kafkaWithLog(entries);
    const topic = uniqueTopicName('parity-acks-option');
    const producer = kafka.producer({ acks: 1 });
    assert.equal(producer.isIdempotent(), false);
    const info = entries.find(
      (e) => e.level === logLevel.INFO && /Idempotence turned off/.test(e.log.message),
    );
    assert.ok(info, 'an INFO line says idempotence was turned off');
    assert.match(info.log.message, /acks is 1/);
    await producer.connect();
    try {
      const [r] = await producer.send({ topic, messages: [{ value: 'x' }] });
      assert.equal(r!.errorCode, 0);
    } finally {
      await producer.disconnect();
    }
    assert.deepEqual(await readBack(kafka, topic, 1), ['x']);
  });

  it('an explicitly idempotent producer refuses acks 1 with a typed error, at creation and per send', async () => {
    const kafka = kafkaWithLog([]);
    assert.throws(() => kafka.producer({ idempotent: true, acks: 1 }), KafkaJSInvalidArgument);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      await assert.rejects(
        producer.send({ topic: uniqueTopicName('parity-explicit'), acks: 1, messages: [{ value: 'x' }] }),
        (e: unknown) => e instanceof KafkaJSInvalidArgument && e.option === 'acks',
      );
    } finally {
      await producer.disconnect();
    }
  });
});

describe('KafkaJS programs: createPartitions failures', () => {
  const topic = uniqueTopicName('parity-partitions');
  const kafka = new Kafka({
    clientId: 'runtime-parity',
    brokers: testCluster().brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const theirs = new kafkajs.Kafka({
    clientId: 'runtime-parity-kafkajs',
    brokers: testCluster().brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin();

  before(async () => {
    await admin.connect();
    await theirs.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  });
  after(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await theirs.disconnect();
  });

  async function failure(call: () => Promise<unknown>): Promise<Record<string, unknown>> {
    try {
      await call();
    } catch (e) {
      const error = e as Record<string, unknown>;
      return { name: error.name, type: error.type, code: error.code, retriable: error.retriable };
    }
    assert.fail('expected a rejection');
  }

  for (const [label, count] of [
    ['fewer partitions than the topic has', 2],
    ['as many partitions as the topic has', 3],
  ] as const) {
    it(`${label}: KafkaJSProtocolError INVALID_PARTITIONS, as KafkaJS throws`, async () => {
      const request = { topicPartitions: [{ topic, count }] };
      const ours = await failure(() => admin.createPartitions(request));
      const kafkajsError = await failure(() => theirs.createPartitions(request));
      assert.deepEqual(ours, {
        name: 'KafkaJSProtocolError',
        type: 'INVALID_PARTITIONS',
        code: 37,
        retriable: false,
      });
      assert.deepEqual(ours, kafkajsError);
      await assert.rejects(admin.createPartitions(request), (e: unknown) => {
        assert.ok(e instanceof KafkaJSProtocolError);
        assert.equal((e as KafkaJSProtocolError & { topic?: string }).topic, topic);
        assert.match(e.message, /partition/i);
        return true;
      });
    });
  }

  it("an unknown topic: KafkaJSProtocolError with KafkaJS's type, code and retriability", async () => {
    const request = { topicPartitions: [{ topic: uniqueTopicName('parity-missing'), count: 4 }] };
    const ours = await failure(() => admin.createPartitions(request));
    const kafkajsError = await failure(() => theirs.createPartitions(request));
    assert.equal(ours.name, 'KafkaJSProtocolError');
    assert.deepEqual(ours, kafkajsError);
  });
});
