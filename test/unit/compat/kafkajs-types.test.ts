/**
 * Type-level check, compiled by `npm run lint` (tsc): KafkaJS 2.2.4's public names used the way
 * a TypeScript program written for KafkaJS uses them, importing from kafkats instead. When this
 * file stops compiling, a migrated program would too. It also runs (no broker needed) so that
 * the values behave as the types say.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AssignerProtocol,
  CompressionCodecs,
  CompressionTypes,
  ConfigResourceTypes,
  ConfigSource,
  type ICustomPartitioner,
  Kafka,
  type KafkaConfig,
  KafkaJSConnectionError,
  KafkaJSCreateTopicError,
  KafkaJSError,
  KafkaJSLockTimeout,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  type KafkaJSOffsetOutOfRangeMetadata,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSServerDoesNotSupportApiKey,
  KafkaJSTimeout,
  type LogEntry,
  type logCreator,
  logLevel,
  type MemberAssignment,
  type MemberMetadata,
  type PartitionAssigner,
  PartitionAssigners,
  type PartitionerArgs,
  Partitioners,
  type ProducerConfig,
  ResourcePatternTypes,
  type SASLOptions,
} from '../../../src/index.js';

// --- a KafkaJS program's set-up ------------------------------------------------------------

const entries: LogEntry[] = [];
const memoryLogger: logCreator = (level) => (entry) => {
  if (level >= logLevel.INFO) entries.push(entry);
};

const sasl: SASLOptions = { mechanism: 'scram-sha-512', username: 'app', password: 'secret' };

const config: KafkaConfig = {
  clientId: 'kafkajs-program',
  brokers: ['localhost:9092'],
  logLevel: logLevel.ERROR,
  logCreator: memoryLogger,
  sasl,
};

// A custom partitioner in KafkaJS's shape: a factory returning (args) => partition.
const byFirstByte: ICustomPartitioner = () => (args: PartitionerArgs) => {
  const key = args.message.key;
  const first = typeof key === 'string' ? key.charCodeAt(0) : (key?.[0] ?? 0);
  return first % args.partitionMetadata.length;
};

const producerConfig: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
};
const legacyProducerConfig: ProducerConfig = { createPartitioner: Partitioners.LegacyPartitioner };
const customProducerConfig: ProducerConfig = { createPartitioner: byFirstByte };

// A codec plug-in as KafkaJS users register one (kafkats has it built in; this is accepted).
const PassThroughCodec = () => ({
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return encoder.buffer;
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return buffer;
  },
});

const assigners: PartitionAssigner[] = [PartitionAssigners.roundRobin];

// --- admin enums as KafkaJS programs pass them --------------------------------------------

const describeResource = { type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms'] };
const aclEntry = {
  resourceType: AclResourceTypes.TOPIC,
  resourceName: 'orders',
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal: 'User:app',
  host: '*',
  operation: AclOperationTypes.WRITE,
  permissionType: AclPermissionTypes.ALLOW,
};
const fromDefault = (source: number): boolean => source === ConfigSource.DEFAULT_CONFIG;

// --- error handling as KafkaJS programs write it ----------------------------------------

function classify(error: unknown): string {
  if (error instanceof KafkaJSOffsetOutOfRange)
    return `offset out of range on ${error.topic}/${error.partition}`;
  if (error instanceof KafkaJSProtocolError) return `broker said ${error.type} (${error.code})`;
  if (error instanceof KafkaJSNumberOfRetriesExceeded) return `gave up after ${error.retryCount} retries`;
  if (error instanceof KafkaJSRequestTimeoutError) return `timed out at ${error.broker}`;
  if (error instanceof KafkaJSConnectionError) return `connection to ${error.broker} failed`;
  if (error instanceof KafkaJSServerDoesNotSupportApiKey) return `broker lacks ${error.apiName}`;
  if (error instanceof KafkaJSTimeout) return 'timeout';
  if (error instanceof KafkaJSNonRetriableError) return `fatal: ${error.message}`;
  if (error instanceof KafkaJSError) return error.retriable ? 'retry later' : `failed: ${error.name}`;
  return 'not a Kafka error';
}

const offsetMetadata: KafkaJSOffsetOutOfRangeMetadata = { topic: 'orders', partition: 2 };

describe('a KafkaJS program compiled against kafkats', () => {
  it('builds a client and producers from KafkaJS-typed configuration', () => {
    const kafka = new Kafka(config);
    for (const options of [producerConfig, legacyProducerConfig, customProducerConfig])
      assert.equal(typeof kafka.producer(options).send, 'function');
    assert.equal(typeof kafka.admin().createTopics, 'function');
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));
    // 'a' is 97, and 97 % 3 partitions is 1.
    assert.equal(byFirstByte()({ topic: 't', partitionMetadata, message: { key: 'a', value: null } }), 1);
  });

  it('registers a codec plug-in as KafkaJS users do, and puts the built-in one back', () => {
    const builtin = CompressionCodecs[CompressionTypes.ZSTD];
    CompressionCodecs[CompressionTypes.ZSTD] = PassThroughCodec;
    assert.equal(CompressionCodecs[CompressionTypes.ZSTD], PassThroughCodec);
    CompressionCodecs[CompressionTypes.ZSTD] = builtin;
  });

  it('encodes member metadata and assignments with AssignerProtocol', () => {
    const metadata: MemberMetadata = { version: 1, topics: ['orders'], userData: Buffer.alloc(0) };
    const assignment: MemberAssignment = {
      version: 1,
      assignment: { orders: [0, 1] },
      userData: Buffer.alloc(0),
    };
    assert.deepEqual(
      AssignerProtocol.MemberMetadata.decode(AssignerProtocol.MemberMetadata.encode(metadata)),
      metadata,
    );
    assert.deepEqual(
      AssignerProtocol.MemberAssignment.decode(AssignerProtocol.MemberAssignment.encode(assignment)),
      assignment,
    );
    assert.equal(assigners.length, 1);
  });

  it('passes the admin enums as the protocol numbers', () => {
    assert.deepEqual(
      [describeResource.type, aclEntry.resourceType, aclEntry.operation, aclEntry.permissionType],
      [2, 2, 4, 3],
    );
    assert.equal(fromDefault(5), true);
  });

  it('classifies errors with KafkaJS instanceof chains', () => {
    assert.equal(
      classify(new KafkaJSOffsetOutOfRange('gone', offsetMetadata)),
      'offset out of range on orders/2',
    );
    assert.equal(
      classify(new KafkaJSCreateTopicError('exists', 'orders')),
      'broker said UNKNOWN_SERVER_ERROR (-1)',
    );
    assert.equal(classify(new KafkaJSLockTimeout('slow')), 'timeout');
    assert.equal(
      classify(
        new KafkaJSServerDoesNotSupportApiKey('old broker', {
          apiKey: 68,
          apiName: 'ConsumerGroupHeartbeat',
        }),
      ),
      'broker lacks ConsumerGroupHeartbeat',
    );
    assert.equal(classify(new Error('x')), 'not a Kafka error');
    assert.equal(entries.length, 0);
  });
});
