/** Bad input reaches the caller as typed errors carrying the broker's own message. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Admin,
  ConfigResourceTypes,
  KafkaJSAggregateError,
  KafkaJSDeleteGroupsError,
} from '../../../src/admin/index.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import {
  GroupIdNotFoundError,
  InvalidConfigError,
  InvalidReplicationFactorError,
  InvalidTopicError,
  type KafkaJSProtocolError,
  UnknownTopicOrPartitionError,
} from '../../../src/errors/protocol.js';
import { Codes } from '../../../src/protocol/codes.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { newAdmin } from './helpers.js';

function aggregateOf(e: unknown): KafkaJSAggregateError {
  assert.ok(e instanceof KafkaJSAggregateError, `expected KafkaJSAggregateError, got ${String(e)}`);
  return e;
}

describe('admin errors', () => {
  let admin: Admin;
  const topic = uniqueTopicName('admin-errors');

  before(async () => {
    admin = newAdmin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  });
  after(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  });

  it('rejects an invalid topic name with the broker INVALID_TOPIC_EXCEPTION, per topic', async () => {
    const good = uniqueTopicName('admin-errors-ok');
    const e = await admin.createTopics({ topics: [{ topic: 'bad name!' }, { topic: good }] }).then(
      () => assert.fail('expected a rejection'),
      (err: unknown) => err,
    );
    const agg = aggregateOf(e);
    assert.equal(agg.errors.length, 1, 'only the bad topic failed');
    const item = agg.errors[0]!;
    assert.ok(item instanceof InvalidTopicError);
    assert.equal(agg.errors[0]!.topic, 'bad name!');
    assert.equal((item as InvalidTopicError).type, 'INVALID_TOPIC_EXCEPTION');
    assert.match((item as InvalidTopicError).brokerMessage ?? '', /bad name!/);
    assert.ok((await admin.listTopics()).includes(good), 'the valid topic of the same call was created');
    await admin.deleteTopics({ topics: [good] });
  });

  it('rejects a replication factor above the broker count with the broker message', async () => {
    const brokers = testCluster().nodes.length;
    const e = await admin
      .createTopics({ topics: [{ topic: uniqueTopicName('admin-rf'), replicationFactor: brokers + 1 }] })
      .then(
        () => assert.fail('expected a rejection'),
        (err: unknown) => err,
      );
    const item = aggregateOf(e).errors[0]!;
    assert.ok(item instanceof InvalidReplicationFactorError);
    assert.match(item.message, new RegExp(`${brokers + 1}`));
    assert.ok((item as KafkaJSProtocolError).brokerMessage);
  });

  it('reports an unknown group per group on deleteGroups', async () => {
    const missing = uniqueTopicName('admin-no-group');
    const e = await admin.deleteGroups([missing]).then(
      () => assert.fail('expected a rejection'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof KafkaJSDeleteGroupsError);
    assert.equal(e.groups.length, 1);
    assert.equal(e.groups[0]!.groupId, missing);
    assert.ok(e.groups[0]!.error instanceof GroupIdNotFoundError);
    assert.equal(e.groups[0]!.errorCode, Codes.GROUP_ID_NOT_FOUND);
  });

  it('rejects an unknown config name with the broker message', async () => {
    const e = await admin
      .alterConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'no.such.config', value: '1' }],
          },
        ],
      })
      .then(
        () => assert.fail('expected a rejection'),
        (err: unknown) => err,
      );
    const agg = aggregateOf(e);
    const item = agg.errors[0]!;
    assert.ok(item instanceof InvalidConfigError, `got ${item.constructor.name}: ${item.message}`);
    assert.match((item as InvalidConfigError).brokerMessage ?? '', /no\.such\.config/);
    assert.equal(agg.errors[0]!.resourceName, topic);

    const inc = await admin
      .incrementalAlterConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'no.such.config', value: '1' }],
          },
        ],
      })
      .then(
        () => assert.fail('expected a rejection'),
        (err: unknown) => err,
      );
    assert.ok(aggregateOf(inc).errors[0] instanceof InvalidConfigError);
  });

  it('fails on unknown topics with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const missing = uniqueTopicName('admin-missing');
    await assert.rejects(admin.fetchTopicOffsets(missing), UnknownTopicOrPartitionError);
    await assert.rejects(admin.fetchTopicMetadata({ topics: [missing] }), (e: unknown) => {
      assert.ok(aggregateOf(e).errors[0] instanceof UnknownTopicOrPartitionError);
      return true;
    });
    await assert.rejects(admin.deleteTopics({ topics: [missing] }), (e: unknown) => {
      const agg = aggregateOf(e);
      assert.ok(agg.errors[0] instanceof UnknownTopicOrPartitionError);
      assert.equal((agg.errors[0] as { topic?: string }).topic, missing);
      return true;
    });
  });

  it('rejects bad arguments before sending anything', async () => {
    await assert.rejects(admin.createTopics({ topics: [] }), KafkaJSInvalidArgument);
    await assert.rejects(
      admin.setOffsets({ groupId: 'g', topic, partitions: [{ partition: 0, offset: 'x' }] }),
      KafkaJSInvalidArgument,
    );
    await assert.rejects(
      admin.describeConfigs({ resources: [{ type: 99 as 2, name: topic }] }),
      KafkaJSInvalidArgument,
    );
  });
});
