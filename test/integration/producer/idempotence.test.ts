/**
 * `producer.isIdempotent()` against what the broker records: an idempotent producer's batches
 * carry a producer id and sequence numbers, so the partition leader keeps state for it
 * (DescribeProducers lists it); a plain producer's batches carry none and leave no state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin } from '../../../src/admin/index.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import type { Producer } from '../../../src/producer/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { createTopic, kafka } from './helpers.js';

const k = kafka();
let admin: Admin;
const producers: Producer[] = [];

before(async () => {
  admin = k.admin();
  await admin.connect();
});
after(async () => {
  await Promise.all(producers.map((p) => p.disconnect().catch(() => {})));
  await admin.disconnect();
});

async function sendFive(producer: Producer, topic: string): Promise<void> {
  await producer.connect();
  await producer.send({ topic, messages: [0, 1, 2].map((i) => ({ value: `a${i}`, partition: 0 })) });
  await producer.send({ topic, messages: [3, 4].map((i) => ({ value: `b${i}`, partition: 0 })) });
}

describe('producer.isIdempotent()', () => {
  it('is true by default, and the broker tracks the producer id and sequence of its records', async () => {
    const topic = uniqueTopicName('idempotent-default');
    await createTopic(k, topic, 1);
    const producer = k.producer();
    producers.push(producer);
    assert.equal(producer.isIdempotent(), true, 'before connect');
    await sendFive(producer, topic);
    assert.equal(producer.isIdempotent(), true, 'after sending');

    const [partition] = await admin.describeProducers({ topic, partitions: [0] });
    assert.equal(partition?.activeProducers.length, 1, 'one producer state on the leader');
    const state = partition!.activeProducers[0]!;
    assert.ok(BigInt(state.producerId) >= 0n, `producer id ${state.producerId}`);
    assert.equal(state.lastSequence, 4, 'five records numbered 0 to 4');
  });

  it('is false with idempotent: false, and the broker keeps no producer state', async () => {
    const topic = uniqueTopicName('idempotent-off');
    await createTopic(k, topic, 1);
    const producer = k.producer({ idempotent: false });
    producers.push(producer);
    assert.equal(producer.isIdempotent(), false);
    await sendFive(producer, topic);
    assert.equal(producer.isIdempotent(), false);
    const [partition] = await admin.describeProducers({ topic, partitions: [0] });
    assert.deepEqual(partition?.activeProducers, []);
  });

  it('is true for a transactional producer, which cannot be made non-idempotent', async () => {
    const transactionalId = uniqueTopicName('idempotent-txn');
    const producer = k.producer({ transactionalId });
    producers.push(producer);
    assert.equal(producer.isIdempotent(), true);
    assert.throws(() => k.producer({ transactionalId, idempotent: false }), KafkaJSInvalidArgument);
  });
});
