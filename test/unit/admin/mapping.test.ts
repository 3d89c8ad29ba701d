import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Admin } from '../../../src/admin/admin.js';
import { configTarget, mapDescribedResource } from '../../../src/admin/configs.js';
import type { AdminCluster } from '../../../src/admin/context.js';
import { ConfigResourceTypes, ConfigSource } from '../../../src/admin/enums.js';
import { mapTopicMetadata } from '../../../src/admin/topics.js';
import { KafkaJSNonRetriableError } from '../../../src/errors/network.js';
import { nullLogger } from '../../../src/logger.js';

describe('admin result mapping', () => {
  it('maps DescribeConfigs results to KafkaJS entries, isDefault from the source', () => {
    const r = mapDescribedResource({
      errorCode: 0,
      errorMessage: null,
      resourceType: 2,
      resourceName: 't',
      configs: [
        {
          name: 'a',
          value: '1',
          readOnly: false,
          configSource: ConfigSource.TOPIC_CONFIG,
          isSensitive: false,
          synonyms: [],
        },
        {
          name: 'b',
          value: null,
          readOnly: true,
          configSource: ConfigSource.DEFAULT_CONFIG,
          isSensitive: true,
          synonyms: [{ name: 'log.b', value: '2', source: ConfigSource.STATIC_BROKER_CONFIG }],
        },
      ],
    });
    assert.deepEqual(r.configEntries[0], {
      configName: 'a',
      configValue: '1',
      readOnly: false,
      isDefault: false,
      configSource: 1,
      isSensitive: false,
      configSynonyms: [],
      configType: undefined,
    });
    assert.equal(r.configEntries[1]!.isDefault, true);
    assert.deepEqual(r.configEntries[1]!.configSynonyms, [
      { configName: 'log.b', configValue: '2', configSource: 4 },
    ]);
  });

  it('routes broker-specific configs to that broker and the rest to any broker or the controller', () => {
    assert.equal(configTarget(ConfigResourceTypes.BROKER, '3', false), 3);
    assert.equal(configTarget(ConfigResourceTypes.BROKER_LOGGER, '2', true), 2);
    assert.equal(configTarget(ConfigResourceTypes.BROKER, '', true), 'controller');
    assert.equal(configTarget(ConfigResourceTypes.TOPIC, '7', false), 'any');
    assert.equal(configTarget(ConfigResourceTypes.TOPIC, 't', true), 'controller');
  });

  it('maps Metadata topics to KafkaJS partition metadata, sorted by partition', () => {
    const [t] = mapTopicMetadata({
      brokers: [],
      topics: [
        {
          errorCode: 0,
          name: 't',
          topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 1,
              leaderId: 2,
              leaderEpoch: 0,
              replicaNodes: [2],
              isrNodes: [2],
              offlineReplicas: [],
            },
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 3,
              replicaNodes: [1],
              isrNodes: [1],
            },
          ],
        },
      ],
    });
    assert.equal(t!.name, 't');
    assert.deepEqual(t!.partitions[0], {
      partitionErrorCode: 0,
      partitionId: 0,
      leader: 1,
      replicas: [1],
      isr: [1],
      offlineReplicas: [],
      leaderEpoch: 3,
    });
    assert.equal(t!.partitions[1]!.partitionId, 1);
  });
});

describe('admin lifecycle and events', () => {
  function fakeCluster(): AdminCluster & { connects: number } {
    let connected = false;
    const fake = {
      connects: 0,
      logger: nullLogger,
      connect: async () => {
        fake.connects++;
        connected = true;
      },
      disconnect: async () => {
        connected = false;
      },
      isConnected: () => connected,
    };
    return fake as unknown as AdminCluster & { connects: number };
  }

  it('emits admin.connect and admin.disconnect, connecting once', async () => {
    const cluster = fakeCluster();
    const admin = new Admin(cluster, nullLogger);
    const seen: string[] = [];
    admin.on(admin.events.CONNECT, (e) => seen.push(e.type));
    const off = admin.on('admin.disconnect', (e) => seen.push(e.type));
    await Promise.all([admin.connect(), admin.connect()]);
    await admin.connect();
    assert.equal(cluster.connects, 1);
    await admin.disconnect();
    off();
    await admin.connect();
    await admin.disconnect();
    assert.deepEqual(seen, ['admin.connect', 'admin.disconnect', 'admin.connect']);
  });

  it('accepts the short request aliases and rejects unknown event names', () => {
    const admin = new Admin(fakeCluster(), nullLogger);
    admin.on('admin.request', () => {})();
    admin.on('admin.network.request_timeout', () => {})();
    assert.throws(() => admin.on('admin.nope', () => {}), KafkaJSNonRetriableError);
  });
});
