/**
 * The differences from KafkaJS 2.2.4 that docs/migrating-from-kafkajs.md lists, pinned down so
 * that the page stays true: if one of these tests fails, kafkats changed and the page must too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CompressionCodecs,
  CompressionTypes,
  Kafka,
  logLevel,
  type PartitionAssigner,
  PartitionAssigners,
} from '../../../src/index.js';
import { testCluster } from '../../helpers/cluster.js';

const kafka = () =>
  new Kafka({ clientId: 'differences', brokers: testCluster().brokers, logLevel: logLevel.NOTHING });

describe('differences from KafkaJS', () => {
  test('built-in assigners carry the Java protocol names (KafkaJS: RoundRobinAssigner)', () => {
    const logger = kafka().logger();
    const cluster = { findTopicPartitionMetadata: () => [], partitionRacks: () => [] };
    const assigner = PartitionAssigners.roundRobin({ cluster, groupId: 'g', logger } as never);
    assert.equal(assigner.name, 'roundrobin');
    assert.equal(assigner.protocol({ topics: ['t'] }).name, 'roundrobin');

    // The wrapper docs/migrating-from-kafkajs.md shows for groups shared with KafkaJS members.
    const kafkajsRoundRobin: PartitionAssigner = (config) => {
      const inner = PartitionAssigners.roundRobin(config);
      return {
        ...inner,
        name: 'RoundRobinAssigner',
        protocol: (subscription) => ({ ...inner.protocol(subscription), name: 'RoundRobinAssigner' }),
      };
    };
    const renamed = kafkajsRoundRobin({ cluster, groupId: 'g', logger } as never);
    assert.equal(renamed.name, 'RoundRobinAssigner');
    assert.equal(renamed.protocol({ topics: ['t'] }).name, 'RoundRobinAssigner');
  });

  test('CompressionCodecs has every codec built in (KafkaJS: GZIP only, others plugged in)', async () => {
    for (const type of [
      CompressionTypes.GZIP,
      CompressionTypes.Snappy,
      CompressionTypes.LZ4,
      CompressionTypes.ZSTD,
    ]) {
      const codec = CompressionCodecs[type]();
      const packed = await codec.compress({ buffer: Buffer.from('hello hello hello') });
      assert.equal((await codec.decompress(packed)).toString(), 'hello hello hello');
    }
  });
});
