// Share-group administration against the shared Kafka 4.x broker: list, describe, offsets, configs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  alterShareGroupConfigs,
  alterShareGroupOffsets,
  deleteShareGroupOffsets,
  describeShareGroupOffsets,
  describeShareGroups,
  listShareGroups,
  setShareGroupAutoOffsetReset,
} from '../../../src/admin/share-groups.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import { InvalidConfigError, KafkaJSProtocolError } from '../../../src/errors/protocol.js';
import type { Kafka } from '../../../src/kafka.js';
import type { Cluster } from '../../../src/network/cluster.js';
import { Codes } from '../../../src/protocol/codes.js';
import {
  adminCluster,
  adminPort,
  createTopic,
  kafka,
  newShareConsumer,
  produce,
  uniqueTopicName,
  waitFor,
} from './helpers.js';

describe('share group admin', () => {
  let k: Kafka;
  let admin: Cluster;

  before(async () => {
    k = kafka();
    admin = await adminCluster(k);
  });

  after(async () => {
    await admin.disconnect();
  });

  it('lists and describes a share group, reads, resets and deletes its offsets', async () => {
    const topic = uniqueTopicName('share-admin');
    const groupId = `${topic}-group`;
    await createTopic(admin, topic);
    await setShareGroupAutoOffsetReset(adminPort(admin), groupId, 'earliest');
    await produce(k, topic, 10, 10);

    const c = newShareConsumer(k, { groupId });
    const seen: string[] = [];
    await c.connect();
    await c.subscribe({ topics: [topic] });
    await c.run({ eachMessage: ({ message }) => void seen.push(message.offset) });
    await waitFor(() => seen.length === 10, 20_000, 'the records');

    const listed = await listShareGroups(adminPort(admin));
    assert.ok(
      listed.some((g) => g.groupId === groupId),
      'the group is listed',
    );
    const { groups } = await describeShareGroups(adminPort(admin), [groupId, `${groupId}-missing`]);
    const g = groups[0]!;
    assert.equal(g.error, null);
    assert.equal(g.groupState, 'Stable');
    assert.equal(g.members.length, 1);
    assert.equal(g.members[0]!.memberId, c.memberId);
    assert.deepEqual(g.members[0]!.subscribedTopicNames, [topic]);
    assert.deepEqual(
      g.members[0]!.assignment.map((a) => [a.topic, a.partitions]),
      [[topic, [0]]],
    );
    assert.ok(groups[1]!.error instanceof KafkaJSProtocolError, 'an unknown group comes back with its error');

    // offsets can only be changed while the group is empty
    await assert.rejects(
      alterShareGroupOffsets(adminPort(admin), groupId, [
        { topic, partitions: [{ partition: 0, offset: 0 }] },
      ]),
      (e: unknown) => e instanceof KafkaJSProtocolError && e.type === 'NON_EMPTY_GROUP',
    );
    await c.disconnect();
    await waitFor(() => true, 0, '');
    const offsets = await describeShareGroupOffsets(adminPort(admin), groupId);
    assert.deepEqual(
      offsets.map((o) => [o.topic, o.partition, o.lag]),
      [[topic, 0, '0']],
    );

    await alterShareGroupOffsets(adminPort(admin), groupId, [
      { topic, partitions: [{ partition: 0, offset: 7 }] },
    ]);
    const reset = await describeShareGroupOffsets(adminPort(admin), groupId, [{ topic }]);
    assert.equal(reset[0]!.startOffset, '7');

    const again = newShareConsumer(k, { groupId });
    const replayed: string[] = [];
    await again.connect();
    await again.subscribe({ topics: [topic] });
    await again.run({ eachMessage: ({ message }) => void replayed.push(message.offset) });
    await waitFor(() => replayed.length === 3, 20_000, 'the records after the reset offset');
    assert.deepEqual(replayed, ['7', '8', '9']);
    await again.disconnect();

    await deleteShareGroupOffsets(adminPort(admin), groupId, [topic]);
    assert.deepEqual(await describeShareGroupOffsets(adminPort(admin), groupId), []);
  });

  it('group configs: set, remove, and typed errors for bad input', async () => {
    const groupId = uniqueTopicName('share-config-group');
    await alterShareGroupConfigs(adminPort(admin), groupId, { 'share.record.lock.duration.ms': 20000 });
    await alterShareGroupConfigs(adminPort(admin), groupId, { 'share.record.lock.duration.ms': null });
    await assert.rejects(
      alterShareGroupConfigs(adminPort(admin), groupId, { 'share.no.such.config': 'x' }),
      (e: unknown) => e instanceof InvalidConfigError && e.code === Codes.INVALID_CONFIG,
    );
    await assert.rejects(
      alterShareGroupConfigs(adminPort(admin), groupId, { 'share.record.lock.duration.ms': 1 }),
      (e: unknown) => e instanceof InvalidConfigError,
    );
    await assert.rejects(
      setShareGroupAutoOffsetReset(adminPort(admin), groupId, 'sometimes' as never),
      (e: unknown) => e instanceof KafkaJSInvalidArgument,
    );
    await assert.rejects(describeShareGroups(adminPort(admin), []), KafkaJSInvalidArgument);
  });

  it('is reachable as kafka.admin() methods', async () => {
    const topic = uniqueTopicName('share-admin-client');
    const groupId = `${topic}-group`;
    const client = k.admin();
    await client.connect();
    const c = newShareConsumer(k, { groupId });
    try {
      await createTopic(admin, topic);
      await client.setShareGroupAutoOffsetReset({ groupId, reset: 'earliest' });
      await produce(k, topic, 3, 10);
      const seen: string[] = [];
      await c.connect();
      await c.subscribe({ topics: [topic] });
      await c.run({ eachMessage: ({ message }) => void seen.push(message.offset) });
      await waitFor(() => seen.length === 3, 20_000, 'the records');
      assert.ok((await client.listShareGroups()).some((g) => g.groupId === groupId));
      const { groups } = await client.describeShareGroups([groupId]);
      assert.equal(groups[0]!.groupId, groupId);
      assert.equal(groups[0]!.error, null);
      assert.equal(groups[0]!.members.length, 1);
      assert.deepEqual(groups[0]!.members[0]!.subscribedTopicNames, [topic]);
    } finally {
      await c.disconnect();
      await client.disconnect();
    }
  });
  it('kafka.admin(): fetches, moves and deletes offsets, and deleteGroups removes an empty share group', async () => {
    const topic = uniqueTopicName('share-admin-offsets');
    const groupId = `${topic}-group`;
    const client = k.admin();
    await client.connect();
    try {
      await createTopic(admin, topic);
      await client.setShareGroupAutoOffsetReset({ groupId, reset: 'earliest' });
      await produce(k, topic, 5, 10);
      const c = newShareConsumer(k, { groupId });
      const seen: string[] = [];
      await c.connect();
      await c.subscribe({ topics: [topic] });
      await c.run({ eachMessage: ({ message }) => void seen.push(message.offset) });
      await waitFor(() => seen.length === 5, 20_000, 'the records');
      await c.disconnect();

      const fetched = await client.fetchShareGroupOffsets({ groupId });
      assert.deepEqual(
        fetched.map((o) => [o.topic, o.partition, o.lag]),
        [[topic, 0, '0']],
        `every record acknowledged: no lag (${JSON.stringify(fetched)})`,
      );
      await client.alterShareGroupOffsets({
        groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: 2 }] }],
      });
      const moved = await client.fetchShareGroupOffsets({ groupId, topics: [{ topic }] });
      assert.equal(moved[0]!.startOffset, '2');
      await client.deleteShareGroupOffsets({ groupId, topics: [topic] });
      assert.deepEqual(await client.fetchShareGroupOffsets({ groupId }), []);

      // DeleteGroups works on share groups too: the group is gone from the list and describe.
      await client.deleteGroups([groupId]);
      assert.ok(!(await client.listShareGroups()).some((g) => g.groupId === groupId), 'no longer listed');
      const { groups } = await client.describeShareGroups([groupId]);
      assert.ok(
        groups[0]!.error instanceof KafkaJSProtocolError && groups[0]!.error.type === 'GROUP_ID_NOT_FOUND',
        `described as ${String(groups[0]!.error ?? groups[0]!.groupState)}`,
      );
    } finally {
      await client.disconnect();
    }
  });
});
