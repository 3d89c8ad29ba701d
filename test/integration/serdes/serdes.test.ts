/**
 * Serializers on the producer and deserializers on the consumer against a real broker: typed
 * objects in, typed objects out, and each `onDeserializationError` policy on a topic that also
 * holds a record another producer wrote as plain (non-JSON) bytes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Consumer } from '../../../src/consumer/consumer.js';
import type { ConsumerOptions } from '../../../src/consumer/options.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { createProducer } from '../../../src/producer/index.js';
import type { Producer } from '../../../src/producer/producer.js';
import { jsonSerde, KafkaJSDeserializationError, stringSerde } from '../../../src/serdes/index.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { createTopic, waitFor } from '../consumer/helpers.js';

interface Order {
  id: number;
  item: string;
}

const isOrder = (v: unknown): v is Order =>
  typeof (v as Order)?.id === 'number' && typeof (v as Order)?.item === 'string';

describe('serdes against a real broker', () => {
  const kafka = new Kafka({
    clientId: 'kafkats-serdes-test',
    brokers: testCluster().brokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = uniqueTopicName('serdes');
  const consumers: Consumer[] = [];
  let typed: Producer<string, Order>;
  let plain: Producer;

  /** Until kafka.consumer() is generic, typed deserializers are passed through this cast. */
  const consumerWith = (options: ConsumerOptions<string | null, Order | null>) => {
    const c = kafka.consumer(options as unknown as ConsumerOptions);
    consumers.push(c);
    return c;
  };

  before(async () => {
    await createTopic(topic, 1);
    const cluster = kafka.cluster({ allowAutoTopicCreation: false });
    typed = createProducer<string, Order>(
      { cluster, logger: kafka.logger() },
      { keySerializer: stringSerde, valueSerializer: jsonSerde<Order>() },
    );
    plain = kafka.producer();
    await typed.connect();
    await plain.connect();
    await typed.send({
      topic,
      messages: [
        { key: 'a', value: { id: 1, item: 'apple' } },
        { key: 'b', value: { id: 2, item: 'pear' } },
      ],
    });
    await plain.send({ topic, messages: [{ key: 'x', value: 'not json' }] });
    await typed.send({ topic, messages: [{ key: 'c', value: { id: 3, item: 'fig' } }] });
  });

  after(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => {})));
    await typed?.disconnect();
    await plain?.disconnect();
  });

  it('skips the bad record under a callback policy and hands over typed values', async () => {
    const bad: Array<{ offset: string; error: KafkaJSDeserializationError }> = [];
    const consumer = consumerWith({
      groupId: `${topic}-skip`,
      maxWaitTimeInMs: 200,
      keyDeserializer: stringSerde,
      valueDeserializer: jsonSerde<Order>({ validate: isOrder }),
      onDeserializationError: (error, record) => bad.push({ offset: record.offset, error }),
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: Array<[unknown, unknown, string]> = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.push([message.key, message.value, message.offset]);
      },
    });
    await waitFor(() => got.length >= 3, 30_000, 'three orders');
    assert.deepEqual(got, [
      ['a', { id: 1, item: 'apple' }, '0'],
      ['b', { id: 2, item: 'pear' }, '1'],
      ['c', { id: 3, item: 'fig' }, '3'],
    ]);
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.offset, '2');
    assert.equal(bad[0]!.error.topic, topic);
    assert.equal(bad[0]!.error.partition, 0);
    assert.equal(bad[0]!.error.field, 'value');
    assert.equal(bad[0]!.error.data?.toString(), 'not json');
  });

  it("'fail' crashes the consumer at the bad record, after delivering the ones before it", async () => {
    const consumer = consumerWith({
      groupId: `${topic}-fail`,
      maxWaitTimeInMs: 200,
      valueDeserializer: jsonSerde<Order>(),
    });
    const crashes: unknown[] = [];
    consumer.on('consumer.crash', (e) => crashes.push(e.payload.error));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const offsets: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        offsets.push(message.offset);
      },
    });
    await waitFor(() => crashes.length > 0, 30_000, 'the crash');
    assert.deepEqual(offsets, ['0', '1']);
    const error = crashes[0];
    assert.ok(error instanceof KafkaJSDeserializationError);
    assert.equal(error.offset, '2');
    assert.equal(error.retriable, false);
  });
});
