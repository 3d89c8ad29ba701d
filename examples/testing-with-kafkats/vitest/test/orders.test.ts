// test/orders.test.ts, one broker for this file: quoted in docs/testing.md (imports kafkats from src/ here).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Kafka, logLevel } from '../../../../src/index.js';
import { type KafkaCluster, useKafka } from '../../../../src/testing/index.js';

let cluster: KafkaCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await useKafka();
  kafka = new Kafka({ clientId: 'my-tests', brokers: cluster.brokers, logLevel: logLevel.WARN });
}, 120_000);

afterAll(() => cluster?.stop(), 30_000);

test('an order is published', async () => {
  const topic = `orders-${randomUUID()}`;
  const producer = kafka.producer();
  await producer.connect();
  try {
    const [written] = await producer.send({ topic, messages: [{ value: 'created' }] });
    expect(written!.baseOffset).toBe('0');
  } finally {
    await producer.disconnect();
  }
});
