/**
 * An integration test of the user service against a real Kafka, with node:test and kafkats/testing.
 *
 *   node --import tsx --test examples/testing-with-kafkats/service.test.ts
 *
 * `useKafka()` attaches to KAFKA_BOOTSTRAP_SERVERS when it is set (CI, or `npm run kafka:start`),
 * and otherwise starts a single-node broker for this file and stops it in `after`. Each test uses
 * its own topic and group, so tests never see each other's records.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from '../../src/index.js';
import { type KafkaCluster, useKafka } from '../../src/testing/index.js';
import { UserDirectory, UserService } from './service.js';

/** Polls `check` until it holds: consumers are asynchronous, so assert eventually, not at once. */
async function eventually(check: () => void, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('user service', () => {
  let cluster: KafkaCluster;
  let kafka: Kafka;

  before(async () => {
    cluster = await useKafka();
    kafka = new Kafka({ clientId: 'user-service-test', brokers: cluster.brokers, logLevel: logLevel.WARN });
  });

  after(async () => {
    await cluster?.stop(); // does nothing for an attached cluster
  });

  /** A fresh topic, service and directory for one test; stopped when the test ends. */
  async function setup(t: { after: (fn: () => Promise<void>) => void }) {
    const topic = `users-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
    const service = new UserService(kafka, topic);
    const directory = new UserDirectory(kafka, topic, `${topic}-directory`);
    await service.start();
    await directory.start();
    t.after(async () => {
      await directory.stop();
      await service.stop();
    });
    return { service, directory };
  }

  test('a registered user appears in the directory', async (t) => {
    const { service, directory } = await setup(t);
    await service.register({ id: 'u1', email: 'ada@example.com' });
    await service.register({ id: 'u2', email: 'grace@example.com' });
    await eventually(() => assert.equal(directory.size, 2));
    assert.deepEqual(directory.get('u1'), { id: 'u1', email: 'ada@example.com' });
  });

  test("a user's events are applied in order", async (t) => {
    const { service, directory } = await setup(t);
    await service.register({ id: 'u1', email: 'first@example.com' });
    for (let i = 2; i <= 10; i++) await service.changeEmail('u1', `change${i}@example.com`);
    await eventually(() => assert.equal(directory.get('u1')?.email, 'change10@example.com'));
  });

  test('an invalid email is refused before anything is published', async (t) => {
    const { service, directory } = await setup(t);
    await assert.rejects(service.register({ id: 'u3', email: 'not-an-email' }), /invalid email/);
    await service.register({ id: 'u4', email: 'ok@example.com' });
    await eventually(() => assert.ok(directory.get('u4')));
    assert.equal(directory.get('u3'), undefined);
  });
});
