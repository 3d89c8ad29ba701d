// test/shared-broker.test.ts: a test file using the global setup's broker (quoted in docs/testing.md).
import { randomUUID } from 'node:crypto';
import { expect, inject, test } from 'vitest';
import { Kafka } from '../../../../src/index.js';

const kafka = new Kafka({ clientId: 'my-tests', brokers: inject('kafkaBrokers') });

test('the shared broker takes an order', async () => {
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
