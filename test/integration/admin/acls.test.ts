/**
 * ACLs on an authorizer-enabled cluster of its own (StandardAuthorizer, `admin` and the
 * PLAINTEXT identity are super users, `alice` is not): alice's produce through kcat fails
 * until createAcls grants it, and works after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  KafkaJSAggregateError,
  ResourcePatternTypes,
} from '../../../src/admin/index.js';
import { KafkaJSProtocolError } from '../../../src/errors/protocol.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { kcatProduce, newAdmin } from './helpers.js';

describe('admin ACLs (authorizer-enabled cluster)', () => {
  let cluster: KafkaCluster;
  let admin: Admin;
  const topic = uniqueTopicName('admin-acl');
  let aliceBrokers: string;

  const alice = (pw = 'alice-secret') => [
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    'sasl.mechanism=PLAIN',
    '-X',
    'sasl.username=alice',
    '-X',
    `sasl.password=${pw}`,
    '-X',
    'message.timeout.ms=5000',
  ];
  const aliceProduces = () =>
    kcatProduce(topic, 0, ['from-alice'], { brokers: aliceBrokers, extra: alice() }).then(
      () => true,
      () => false,
    );
  const aclFor = (operation: number) => ({
    resourceType: AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: 'User:alice',
    host: '*',
    operation: operation as 4,
    permissionType: AclPermissionTypes.ALLOW,
  });

  before(async () => {
    cluster = await startKafka({ authorizer: true });
    aliceBrokers = cluster.describe().listeners.saslPlaintext.join(',');
    const k = new Kafka({
      clientId: 'kafkats-admin-acl',
      brokers: cluster.describe().brokers,
      logLevel: logLevel.NOTHING,
    });
    admin = newAdmin(k);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  });
  after(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  it('denies alice before createAcls, allows her after, and deletes the ACLs again', async () => {
    assert.equal(await aliceProduces(), false, 'no ACL: alice cannot produce');

    assert.equal(
      await admin.createAcls({ acl: [aclFor(AclOperationTypes.WRITE), aclFor(AclOperationTypes.DESCRIBE)] }),
      true,
    );

    const filter = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: topic,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    } as const;
    let described = await admin.describeAcls(filter);
    for (let i = 0; i < 30 && described.resources.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      described = await admin.describeAcls(filter);
    }
    assert.equal(described.resources.length, 1);
    assert.deepEqual(
      described.resources[0]!.acls.map((a) => a.operation).sort(),
      [AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].sort(),
    );

    let produced = false;
    for (let i = 0; i < 10 && !produced; i++) produced = await aliceProduces();
    assert.equal(produced, true, 'with WRITE and DESCRIBE alice can produce');
    const offsets = await admin.fetchTopicOffsets(topic);
    assert.equal(offsets[0]!.high, '1', 'the record alice produced is there');

    const deleted = await admin.deleteAcls({ filters: [filter] });
    assert.equal(deleted.filterResponses[0]!.matchingAcls.length, 2);
    let left = await admin.describeAcls(filter);
    for (let i = 0; i < 30 && left.resources.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await admin.describeAcls(filter);
    }
    assert.deepEqual(left.resources, []);
  });

  it('reports an unauthorized admin call per topic with the broker error', async () => {
    const k = new Kafka({
      clientId: 'kafkats-admin-alice',
      brokers: cluster.describe().listeners.saslPlaintext,
      logLevel: logLevel.NOTHING,
      sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
    });
    const asAlice = newAdmin(k);
    await asAlice.connect();
    try {
      const e = await asAlice.createTopics({ topics: [{ topic: uniqueTopicName('admin-acl-denied') }] }).then(
        () => assert.fail('expected a rejection'),
        (err: unknown) => err,
      );
      assert.ok(e instanceof KafkaJSAggregateError);
      const item = e.errors[0] as KafkaJSProtocolError;
      assert.ok(item instanceof KafkaJSProtocolError);
      assert.match(item.type, /AUTHORIZATION_FAILED/);
    } finally {
      await asAlice.disconnect();
    }
  });
});
