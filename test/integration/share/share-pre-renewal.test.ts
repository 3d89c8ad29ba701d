/**
 * `acknowledge('renew')` on a broker whose share groups cannot renew a lock (KIP-1222 needs
 * ShareAcknowledge v2, Kafka 4.2+): a Kafka 4.1 broker of its own, started once for this file,
 * with share groups at share.version=1 (the harness sets the feature at format time for 4.0/4.1).
 * The shared broker of the run is 4.4, which can renew, so the refusal is only seen here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from '../../../src/kafka.js';
import type { Cluster } from '../../../src/network/cluster.js';
import type { ShareConsumer } from '../../../src/share/consumer.js';
import { KafkaJSShareRenewUnsupportedError } from '../../../src/share/errors.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { adminCluster, kafka, newShareConsumer, produce, shareTopic, waitFor } from './helpers.js';

/** The newest line without renewal; `4.1` resolves to the newest known 4.1.x release. */
const PRE_RENEWAL_KAFKA = '4.1';

describe('share lock renewal on a broker that cannot renew (Kafka 4.1)', () => {
  let cluster: KafkaCluster;
  let k: Kafka;
  let admin: Cluster;
  const open: ShareConsumer[] = [];

  before(async () => {
    cluster = await startKafka({ version: PRE_RENEWAL_KAFKA, heapMb: 384 });
    k = kafka(cluster.brokers);
    admin = await adminCluster(k);
  });

  after(async () => {
    await Promise.all(open.map((c) => c.disconnect().catch(() => {})));
    await admin?.disconnect();
    await cluster?.stop();
  });

  it('runs a 4.1 broker', () => {
    assert.match(cluster.version, /^4\.1\./);
  });

  it("acknowledge('renew') throws the typed error; the record is redelivered; new records still arrive", async () => {
    const { topic, groupId } = await shareTopic(admin, 'share-pre-renewal');
    await produce(k, topic, 2);

    const refusals: unknown[] = [];
    // offset -> delivery counts seen, in order
    const deliveries = new Map<number, number[]>();
    const c = newShareConsumer(k, { groupId });
    open.push(c);
    await c.connect();
    await c.subscribe({ topics: [topic] });
    await c.run({
      eachMessage: async ({ message, acknowledge }) => {
        const offset = Number(message.offset);
        deliveries.set(offset, [...(deliveries.get(offset) ?? []), message.deliveryCount]);
        if (message.deliveryCount > 1 || offset > 1) return; // implicit accept
        try {
          acknowledge('renew');
        } catch (error) {
          refusals.push(error);
          // v0: the record stayed acquired, so the handler can still release it itself.
          if (offset === 0) acknowledge('release');
          // v1: the error escapes the handler, which releases the record like any failure.
          else throw error;
        }
      },
    });

    await waitFor(
      () => [0, 1].every((o) => (deliveries.get(o)?.length ?? 0) >= 2),
      60_000,
      'both refused records to be redelivered',
    );

    assert.equal(refusals.length, 2);
    for (const [i, error] of refusals.entries()) {
      assert.ok(error instanceof KafkaJSShareRenewUnsupportedError, `refusal ${i}: ${String(error)}`);
      assert.equal(error.retriable, false);
      assert.equal(error.topic, topic);
      assert.equal(error.partition, 0);
      assert.equal(error.offset, i);
      assert.match(error.message, /does not support lock renewal/);
    }
    assert.deepEqual(deliveries.get(0)?.slice(0, 2), [1, 2]);
    assert.deepEqual(deliveries.get(1)?.slice(0, 2), [1, 2]);

    // The consumer is still healthy: records produced now are delivered once each.
    await produce(k, topic, 3, 3, 2);
    await waitFor(() => [2, 3, 4].every((o) => deliveries.has(o)), 60_000, 'the new records');
    for (const o of [2, 3, 4]) assert.deepEqual(deliveries.get(o), [1], `offset ${o}`);
  });
});
