/**
 * `allowAutoTopicCreation` on the consumer, as in KafkaJS and Java (`allow.auto.create.topics`):
 * on by default, so subscribing to a topic that does not exist yet lets a broker that allows it
 * (`auto.create.topics.enable`, on in the harness as in Kafka's defaults) create it; off, run()
 * waits for someone else to create it until its joinTimeout, then rejects naming the topic.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KafkaJSGroupJoinTimeout } from '../../../src/consumer/index.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { waitFor } from './helpers.js';

describe('consumer allowAutoTopicCreation', () => {
  const kafka = new Kafka({
    clientId: 'auto-create',
    brokers: testCluster().brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  after(() => admin.disconnect());

  it('by default, subscribing to a missing topic has the broker create it, and records flow', async () => {
    const topic = uniqueTopicName('consumer-autocreate');
    await admin.connect();
    const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    assert.equal(typeof consumer.logger().info, 'function', 'KafkaJS consumer.logger()');
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const got: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
    for (let i = 0; !(await admin.listTopics()).includes(topic); i++) {
      assert.ok(i < 100, 'the broker created the topic within 20 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'after auto-creation' }] });
    await producer.disconnect();
    await waitFor(() => got.length === 1, 60_000, 'the record');
    assert.deepEqual(got, ['after auto-creation']);
    await consumer.disconnect();
  });

  it('with allowAutoTopicCreation: false the topic is not created, and run() says so', async () => {
    const topic = uniqueTopicName('consumer-noautocreate');
    await admin.connect();
    const consumer = kafka.consumer({
      groupId: `g-${topic}`,
      allowAutoTopicCreation: false,
      joinTimeout: 3_000,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    // run() waits for the first join, which needs the topic; metadata is asked meanwhile.
    await assert.rejects(consumer.run({ eachMessage: async () => {} }), (e: Error) => {
      assert.ok(e instanceof KafkaJSGroupJoinTimeout);
      assert.match(e.message, new RegExp(`${topic}.*allowAutoTopicCreation is false`));
      return true;
    });
    assert.ok(!(await admin.listTopics()).includes(topic), 'the topic does not exist');
    await consumer.disconnect();
    assert.ok(!(await admin.listTopics()).includes(topic), 'still not after disconnect');
  });
});
