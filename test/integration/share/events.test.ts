// The share consumer's instrumentation events, emitted by the same event shell as the other
// clients' (`share.connect`, `share.group_join`, `share.network.request`, ...), against the
// shared Kafka 4.x broker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InstrumentationEvent } from '../../../src/instrumentation/events.js';
import type { Kafka } from '../../../src/kafka.js';
import type { Cluster } from '../../../src/network/cluster.js';
import type { ShareConsumer } from '../../../src/share/consumer.js';
import { SHARE_CONSUMER_EVENTS } from '../../../src/share/events.js';
import { adminCluster, kafka, newShareConsumer, produce, shareTopic, waitFor } from './helpers.js';

describe('share consumer events', () => {
  let k: Kafka;
  let admin: Cluster;
  let consumer: ShareConsumer | undefined;

  before(async () => {
    k = kafka();
    admin = await adminCluster(k);
  });

  after(async () => {
    await consumer?.disconnect().catch(() => {});
    await admin.disconnect();
  });

  it('emits connect, group_join, network requests, acknowledgements and disconnect in the envelope', async () => {
    const { topic, groupId } = await shareTopic(admin, 'share-events');
    await produce(k, topic, 3);

    const c = newShareConsumer(k, { groupId });
    consumer = c;
    const seen: Array<InstrumentationEvent<unknown>> = [];
    for (const name of Object.values(SHARE_CONSUMER_EVENTS)) c.on(name, (e) => seen.push(e));
    const shortAssignments: unknown[] = [];
    c.on('assignment', (payload) => shortAssignments.push(payload));
    assert.throws(() => c.on('share.nope' as 'share.connect', () => {}), /unknown share consumer event/);

    const consumed: number[] = [];
    await c.connect();
    await c.subscribe({ topics: [topic] });
    await c.run({
      eachMessage: async ({ message }) => {
        consumed.push(Number(message.offset));
      },
    });
    const of = (type: string) => seen.filter((e) => e.type === type);
    await waitFor(
      () => consumed.length >= 3 && of('share.acknowledgement').length > 0,
      60_000,
      'three records consumed and acknowledged',
    );
    await c.disconnect();
    consumer = undefined;

    assert.equal(of('share.connect').length, 1);
    assert.equal(of('share.connect')[0]!.payload, null);

    const join = of('share.group_join').at(-1)!.payload as {
      groupId: string;
      memberId: string;
      memberEpoch: number;
      partitions: Array<{ topic: string; partition: number }>;
    };
    assert.equal(join.groupId, groupId);
    assert.equal(join.memberId, c.memberId);
    assert.ok(join.memberEpoch > 0);
    assert.deepEqual(join.partitions, [{ topic, partition: 0 }]);
    // the earlier short name still hears the same event, with the payload alone
    assert.deepEqual(shortAssignments.at(-1), join);

    const apis = new Set(of('share.network.request').map((e) => (e.payload as { apiName: string }).apiName));
    for (const api of ['ShareGroupHeartbeat', 'ShareFetch'])
      assert.ok(apis.has(api), `${api} in ${[...apis]}`);

    const ack = of('share.acknowledgement')[0]!.payload as {
      topic: string;
      partition: number;
      error: unknown;
    };
    assert.equal(ack.topic, topic);
    assert.equal(ack.error, null);

    assert.equal(of('share.disconnect').length, 1);
    assert.equal(of('share.crash').length, 0);
    const ids = seen.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'every event has its own id');
    assert.ok(seen.every((e) => typeof e.timestamp === 'number'));
  });
});
