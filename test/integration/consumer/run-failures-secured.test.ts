/**
 * run() against a cluster of its own where joins cannot complete: the authorizer is on (alice
 * may read the topic but has no ACL on any group) and the offsets topic asks for 3 replicas on
 * a single node, so no group coordinator can ever be found. run() rejects with the broker's
 * authorization error at once, and with KafkaJSGroupJoinTimeout naming the missing coordinator
 * after joinTimeout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaJSGroupJoinTimeout } from '../../../src/consumer/index.js';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  KafkaJSProtocolError,
  logLevel,
  ResourcePatternTypes,
} from '../../../src/index.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { kafkaVersion, uniqueTopicName } from '../../helpers/cluster.js';

describe('consumer run() on a cluster where the join cannot complete', () => {
  let cluster: KafkaCluster;
  const topic = uniqueTopicName('consumer-run-secured');
  const protocols: Array<'classic' | 'consumer'> =
    kafkaVersion()[0] >= 4 ? ['classic', 'consumer'] : ['classic'];

  before(async () => {
    cluster = await startKafka({
      authorizer: true,
      brokerProperties: { 'offsets.topic.replication.factor': 3 },
    });
    const admin = new Kafka({
      clientId: 'secured-admin',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.createAcls({
      acl: [AclOperationTypes.READ, AclOperationTypes.DESCRIBE].map((operation) => ({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: topic,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: 'User:alice',
        host: '*',
        operation: operation as 3,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    });
    await admin.disconnect();
  });
  after(() => cluster?.stop());

  for (const groupProtocol of protocols) {
    it(`a group alice may not use rejects at once with GROUP_AUTHORIZATION_FAILED (${groupProtocol})`, async () => {
      const kafka = new Kafka({
        clientId: 'secured-alice',
        brokers: cluster.listeners.saslPlaintext,
        sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
        logLevel: logLevel.NOTHING,
      });
      const consumer = kafka.consumer({
        groupId: `g-${topic}-${groupProtocol}`,
        groupProtocol,
        joinTimeout: 60_000,
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      const started = Date.now();
      await assert.rejects(consumer.run({ eachMessage: async () => {} }), (e: Error) => {
        assert.ok(e instanceof KafkaJSProtocolError, String(e));
        assert.equal(e.type, 'GROUP_AUTHORIZATION_FAILED');
        return true;
      });
      assert.ok(Date.now() - started < 30_000, 'without waiting for the join timeout');
      await consumer.disconnect();
    });

    it(`no group coordinator rejects after joinTimeout, naming COORDINATOR_NOT_AVAILABLE (${groupProtocol})`, async () => {
      const kafka = new Kafka({
        clientId: 'secured-admin',
        brokers: cluster.brokers,
        retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
        logLevel: logLevel.NOTHING,
      });
      const consumer = kafka.consumer({
        groupId: `g2-${topic}-${groupProtocol}`,
        groupProtocol,
        joinTimeout: 8_000,
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      const started = Date.now();
      const error = await consumer.run({ eachMessage: async () => {} }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const took = Date.now() - started;
      assert.ok(error instanceof KafkaJSGroupJoinTimeout, String(error));
      assert.match(error.message, /COORDINATOR_NOT_AVAILABLE/);
      assert.ok(took >= 7_500 && took < 25_000, `after the join timeout (${took} ms)`);
      await consumer.disconnect();
    });
  }
});
