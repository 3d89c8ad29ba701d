/**
 * Every runtime name KafkaJS 2.2.4 exports (`require('kafkajs')`) is exported by kafkats' index
 * with the same kind, and its enums with the same keys and numbers. The expected tables are
 * written out here from KafkaJS 2.2.4's published values, not read from KafkaJS.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  compressWithCodecs,
  decompressWithCodecs,
  registeredCompressionCodec,
} from '../../../src/compat/compression-codecs.js';
import * as kafkats from '../../../src/index.js';

type Kind = 'class' | 'object' | 'function';

function kindOf(value: unknown): Kind | 'missing' | 'other' {
  if (value === undefined) return 'missing';
  if (typeof value === 'function')
    return /^class\b/.test(Function.prototype.toString.call(value)) ? 'class' : 'function';
  if (typeof value === 'object' && value !== null) return 'object';
  return 'other';
}

const exported = kafkats as unknown as Record<string, unknown>;

// KafkaJS 2.2.4's index.js, in its order: the non-error names...
const KAFKAJS_NAMES: Record<string, Kind> = {
  Kafka: 'class',
  PartitionAssigners: 'object',
  AssignerProtocol: 'object',
  Partitioners: 'object',
  logLevel: 'object',
  CompressionTypes: 'object',
  CompressionCodecs: 'object',
  ConfigResourceTypes: 'object',
  AclResourceTypes: 'object',
  AclOperationTypes: 'object',
  AclPermissionTypes: 'object',
  ResourcePatternTypes: 'object',
  ConfigSource: 'object',
};

// ...and its error classes, each with the parent KafkaJS gives it ('Error' for a bare Error).
const KAFKAJS_ERRORS: Record<string, string> = {
  KafkaJSError: 'Error',
  KafkaJSNonRetriableError: 'KafkaJSError',
  KafkaJSPartialMessageError: 'KafkaJSNonRetriableError',
  KafkaJSBrokerNotFound: 'KafkaJSError',
  KafkaJSProtocolError: 'KafkaJSError',
  KafkaJSConnectionError: 'KafkaJSError',
  KafkaJSConnectionClosedError: 'KafkaJSConnectionError',
  KafkaJSRequestTimeoutError: 'KafkaJSError',
  KafkaJSSASLAuthenticationError: 'KafkaJSNonRetriableError',
  KafkaJSNumberOfRetriesExceeded: 'KafkaJSNonRetriableError',
  KafkaJSOffsetOutOfRange: 'KafkaJSProtocolError',
  KafkaJSMemberIdRequired: 'KafkaJSProtocolError',
  KafkaJSGroupCoordinatorNotFound: 'KafkaJSNonRetriableError',
  KafkaJSNotImplemented: 'KafkaJSNonRetriableError',
  KafkaJSMetadataNotLoaded: 'KafkaJSError',
  KafkaJSTopicMetadataNotLoaded: 'KafkaJSMetadataNotLoaded',
  KafkaJSStaleTopicMetadataAssignment: 'KafkaJSError',
  KafkaJSDeleteGroupsError: 'KafkaJSError',
  KafkaJSTimeout: 'KafkaJSNonRetriableError',
  KafkaJSLockTimeout: 'KafkaJSTimeout',
  KafkaJSServerDoesNotSupportApiKey: 'KafkaJSNonRetriableError',
  KafkaJSUnsupportedMagicByteInMessageSet: 'KafkaJSNonRetriableError',
  KafkaJSDeleteTopicRecordsError: 'KafkaJSError',
  KafkaJSInvariantViolation: 'KafkaJSNonRetriableError',
  KafkaJSInvalidVarIntError: 'KafkaJSNonRetriableError',
  KafkaJSInvalidLongError: 'KafkaJSNonRetriableError',
  KafkaJSCreateTopicError: 'KafkaJSProtocolError',
  KafkaJSAggregateError: 'Error',
  KafkaJSFetcherRebalanceError: 'Error',
  KafkaJSNoBrokerAvailableError: 'KafkaJSError',
  KafkaJSAlterPartitionReassignmentsError: 'KafkaJSProtocolError',
};

/**
 * Parents kafkats deliberately changed. The metadata errors are retriable in kafkats (a refresh
 * fixes them); KafkaJS makes GroupCoordinatorNotFound non-retriable and TopicMetadataNotLoaded a
 * MetadataNotLoaded. Listed so that a change either way is noticed.
 */
const KNOWN_PARENT_DIFFERENCES: Record<string, string> = {
  KafkaJSGroupCoordinatorNotFound: 'KafkaJSError',
  KafkaJSTopicMetadataNotLoaded: 'KafkaJSError',
};

// KafkaJS 2.2.4's enum values (types/index.d.ts and src/protocol/*.js).
const KAFKAJS_ENUMS: Record<string, Record<string, number>> = {
  logLevel: { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 },
  CompressionTypes: { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 },
  ConfigResourceTypes: { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 },
  AclResourceTypes: {
    UNKNOWN: 0,
    ANY: 1,
    TOPIC: 2,
    GROUP: 3,
    CLUSTER: 4,
    TRANSACTIONAL_ID: 5,
    DELEGATION_TOKEN: 6,
  },
  AclOperationTypes: {
    UNKNOWN: 0,
    ANY: 1,
    ALL: 2,
    READ: 3,
    WRITE: 4,
    CREATE: 5,
    DELETE: 6,
    ALTER: 7,
    DESCRIBE: 8,
    CLUSTER_ACTION: 9,
    DESCRIBE_CONFIGS: 10,
    ALTER_CONFIGS: 11,
    IDEMPOTENT_WRITE: 12,
  },
  AclPermissionTypes: { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 },
  ResourcePatternTypes: { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 },
  ConfigSource: {
    UNKNOWN: 0,
    TOPIC_CONFIG: 1,
    DYNAMIC_BROKER_CONFIG: 2,
    DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
    STATIC_BROKER_CONFIG: 4,
    DEFAULT_CONFIG: 5,
    DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  },
};

/** Values newer Kafka versions added, which kafkats carries under their Java names. */
const KAFKATS_ENUM_ADDITIONS: Record<string, Record<string, number>> = {
  ConfigResourceTypes: { CLIENT_METRICS: 16, GROUP: 32 },
  AclResourceTypes: { USER: 7 },
  AclOperationTypes: { CREATE_TOKENS: 13, DESCRIBE_TOKENS: 14 },
  ConfigSource: { CLIENT_METRICS_CONFIG: 7, GROUP_CONFIG: 8 },
};

describe('KafkaJS 2.2.4 public names', () => {
  it('exports every non-error name with the same kind', () => {
    const wrong = Object.entries(KAFKAJS_NAMES)
      .filter(([name, kind]) => kindOf(exported[name]) !== kind)
      .map(([name, kind]) => `${name}: expected ${kind}, got ${kindOf(exported[name])}`);
    assert.deepEqual(wrong, []);
  });

  it('exports every KafkaJS* error as a class extending Error', () => {
    const wrong: string[] = [];
    for (const name of Object.keys(KAFKAJS_ERRORS)) {
      const value = exported[name];
      if (kindOf(value) !== 'class') wrong.push(`${name}: ${kindOf(value)}`);
      else if (!((value as { prototype: unknown }).prototype instanceof Error))
        wrong.push(`${name}: does not extend Error`);
    }
    assert.deepEqual(wrong, []);
    assert.equal(Object.keys(KAFKAJS_ERRORS).length, 31);
  });

  it("gives each error KafkaJS's parent class, except the listed deliberate differences", () => {
    const wrong: string[] = [];
    for (const [name, kafkajsParent] of Object.entries(KAFKAJS_ERRORS)) {
      const parent = KNOWN_PARENT_DIFFERENCES[name] ?? kafkajsParent;
      const cls = exported[name] as { prototype: object } | undefined;
      const parentCls = parent === 'Error' ? Error : (exported[parent] as { prototype: object } | undefined);
      if (!cls || !parentCls) continue; // reported by the test above
      if (!(cls.prototype instanceof (parentCls as unknown as new () => object)))
        wrong.push(`${name} should extend ${parent}`);
    }
    assert.deepEqual(wrong, []);
    for (const [name, parent] of Object.entries(KNOWN_PARENT_DIFFERENCES)) {
      const cls = exported[name] as { prototype: object };
      const kafkajsParent = exported[KAFKAJS_ERRORS[name]!] as new () => object;
      assert.equal(
        cls.prototype instanceof kafkajsParent,
        false,
        `${name} now extends ${KAFKAJS_ERRORS[name]} as in KafkaJS: remove it from KNOWN_PARENT_DIFFERENCES (was ${parent})`,
      );
    }
  });

  for (const [name, expected] of Object.entries(KAFKAJS_ENUMS)) {
    it(`${name} has KafkaJS's keys and values, plus only the listed newer Kafka values`, () => {
      const actual = exported[name] as Record<string, unknown> | undefined;
      assert.ok(actual, `${name} is not exported`);
      assert.deepEqual({ ...actual }, { ...expected, ...KAFKATS_ENUM_ADDITIONS[name] });
    });
  }

  it('keeps KafkaJS 1.x ResourceTypes (dropped by KafkaJS 2) equal to AclResourceTypes', () => {
    assert.equal(kafkats.ResourceTypes, kafkats.AclResourceTypes);
  });

  it("has KafkaJS's Partitioners, with the deprecated JavaCompatiblePartitioner alias", () => {
    const partitioners = exported.Partitioners as Record<string, unknown>;
    for (const name of ['DefaultPartitioner', 'LegacyPartitioner', 'JavaCompatiblePartitioner'])
      assert.equal(typeof partitioners[name], 'function', name);
    assert.equal(partitioners.JavaCompatiblePartitioner, partitioners.DefaultPartitioner);
  });

  it("has KafkaJS's AssignerProtocol and PartitionAssigners.roundRobin", () => {
    const protocol = exported.AssignerProtocol as Record<string, Record<string, unknown>>;
    for (const part of ['MemberMetadata', 'MemberAssignment'])
      for (const fn of ['encode', 'decode'])
        assert.equal(typeof protocol[part]?.[fn], 'function', `${part}.${fn}`);
    const assigners = exported.PartitionAssigners as Record<string, unknown>;
    assert.equal(typeof assigners.roundRobin, 'function');
    const metadata = { version: 0, topics: ['a', 'b'], userData: Buffer.from('x') };
    const encoded = (protocol.MemberMetadata!.encode as (m: typeof metadata) => Buffer)(metadata);
    assert.deepEqual((protocol.MemberMetadata!.decode as (b: Buffer) => unknown)(encoded), metadata);
  });
});

describe('KafkaJS error classes added for compatibility', () => {
  const {
    KafkaJSError,
    KafkaJSNonRetriableError,
    KafkaJSProtocolError,
    KafkaJSOffsetOutOfRange,
    KafkaJSMemberIdRequired,
    KafkaJSCreateTopicError,
    KafkaJSAlterPartitionReassignmentsError,
    KafkaJSServerDoesNotSupportApiKey,
    KafkaJSUnsupportedVersion,
    KafkaJSStaleTopicMetadataAssignment,
    KafkaJSLockTimeout,
    KafkaJSTimeout,
    KafkaJSInvariantViolation,
    KafkaJSFetcherRebalanceError,
    TopicAlreadyExistsError,
  } = kafkats;

  it('name each instance after its class and keep the message', () => {
    const cases: [Error, string][] = [
      [new KafkaJSOffsetOutOfRange('out of range', { topic: 't', partition: 3 }), 'KafkaJSOffsetOutOfRange'],
      [new KafkaJSMemberIdRequired('join again', { memberId: 'm-1' }), 'KafkaJSMemberIdRequired'],
      [new KafkaJSCreateTopicError('create failed', 't'), 'KafkaJSCreateTopicError'],
      [
        new KafkaJSAlterPartitionReassignmentsError('nope', 't', 1),
        'KafkaJSAlterPartitionReassignmentsError',
      ],
      [
        new KafkaJSServerDoesNotSupportApiKey('no api', { apiKey: 68, apiName: 'ConsumerGroupHeartbeat' }),
        '',
      ],
      [new kafkats.KafkaJSPartialMessageError('partial'), 'KafkaJSPartialMessageError'],
      [new kafkats.KafkaJSNotImplemented('later'), 'KafkaJSNotImplemented'],
      [new KafkaJSTimeout('slow'), 'KafkaJSTimeout'],
      [new KafkaJSLockTimeout('locked'), 'KafkaJSLockTimeout'],
      [
        new kafkats.KafkaJSUnsupportedMagicByteInMessageSet('magic 3'),
        'KafkaJSUnsupportedMagicByteInMessageSet',
      ],
      [new kafkats.KafkaJSInvalidVarIntError('bad varint'), 'KafkaJSInvalidVarIntError'],
      [new kafkats.KafkaJSInvalidLongError('bad long'), 'KafkaJSInvalidLongError'],
      [new KafkaJSStaleTopicMetadataAssignment('stale', { topic: 't', unknownPartitions: [] }), ''],
      [new KafkaJSFetcherRebalanceError('rebalancing'), 'KafkaJSFetcherRebalanceError'],
    ];
    for (const [error, name] of cases) {
      const expected = name || error.constructor.name;
      assert.equal(error.name, expected);
      assert.ok(error instanceof KafkaJSError, `${expected} is a KafkaJSError`);
    }
    assert.equal(cases[0]![0].message, 'out of range');
  });

  it("keep KafkaJS's fields and retriability", () => {
    const offset = new KafkaJSOffsetOutOfRange('out of range', { topic: 't', partition: 3 });
    assert.deepEqual(
      [offset.topic, offset.partition, offset.code, offset.type],
      ['t', 3, 1, 'OFFSET_OUT_OF_RANGE'],
    );
    assert.equal(new KafkaJSMemberIdRequired('x', { memberId: 'm-1' }).memberId, 'm-1');
    const apiKey = new KafkaJSServerDoesNotSupportApiKey('no api', { apiKey: 68, apiName: 'X' });
    assert.deepEqual([apiKey.apiKey, apiKey.apiName, apiKey.retriable], [68, 'X', false]);
    assert.ok(apiKey instanceof KafkaJSNonRetriableError);
    const stale = new KafkaJSStaleTopicMetadataAssignment('stale', { topic: 't', unknownPartitions: [7] });
    assert.deepEqual([stale.topic, stale.unknownPartitions, stale.retriable], ['t', [7], true]);
    for (const error of [
      new KafkaJSTimeout('x'),
      new KafkaJSLockTimeout('x'),
      new KafkaJSInvariantViolation('x'),
    ])
      assert.equal(error.retriable, false, error.name);
    assert.ok(new KafkaJSLockTimeout('x') instanceof KafkaJSTimeout);
  });

  it('wrap a protocol error with its code, type and retriability (createTopics, reassignments)', () => {
    const cause = new TopicAlreadyExistsError('Topic "t" already exists.');
    const error = new KafkaJSCreateTopicError(cause, 't');
    assert.ok(error instanceof KafkaJSProtocolError);
    assert.deepEqual(
      [error.topic, error.code, error.type, error.retriable],
      ['t', 36, 'TOPIC_ALREADY_EXISTS', false],
    );
    assert.equal(error.message, cause.message);
    assert.equal(error.cause, cause);
    const reassign = new KafkaJSAlterPartitionReassignmentsError('plain message');
    assert.deepEqual([reassign.topic, reassign.partition, reassign.code], [undefined, undefined, -1]);
  });

  it('KafkaJSInvariantViolation says it is a bug', () => {
    assert.equal(
      new KafkaJSInvariantViolation('two leaders').message,
      'Invariant violated: two leaders. This is likely a bug and should be reported.',
    );
  });

  it("KafkaJSServerDoesNotSupportApiKey recognises kafkats' KafkaJSUnsupportedVersion, not the reverse", () => {
    const ours = new KafkaJSUnsupportedVersion('no common version', { apiKey: 68, apiName: 'X' });
    assert.ok(ours instanceof KafkaJSServerDoesNotSupportApiKey);
    assert.equal(new KafkaJSServerDoesNotSupportApiKey('x') instanceof KafkaJSUnsupportedVersion, false);
    assert.equal(new KafkaJSTimeout('x') instanceof KafkaJSServerDoesNotSupportApiKey, false);
    class Narrower extends KafkaJSServerDoesNotSupportApiKey {}
    assert.equal(ours instanceof Narrower, false);
    assert.ok(new Narrower('x') instanceof KafkaJSServerDoesNotSupportApiKey);
  });
});

describe('CompressionCodecs', () => {
  const { CompressionCodecs, CompressionTypes } = kafkats;
  const registry = CompressionCodecs as unknown as Record<number, unknown>;

  it('holds a built-in codec factory for GZIP, Snappy, LZ4 and ZSTD, in KafkaJS shape', async () => {
    assert.deepEqual(Object.keys(CompressionCodecs).map(Number), [1, 2, 3, 4]);
    const gzip = CompressionCodecs[CompressionTypes.GZIP]();
    const data = Buffer.from('hello hello hello hello');
    const compressed = await gzip.compress({ buffer: data });
    assert.deepEqual(gunzipSync(compressed), data);
    assert.deepEqual(await gzip.decompress(gzipSync(data)), data);
  });

  it('uses a registered codec for its type, and the built-in one again once restored', async () => {
    const builtin = CompressionCodecs[CompressionTypes.Snappy];
    const calls: string[] = [];
    const reversing = () => ({
      async compress(encoder: { buffer: Buffer }) {
        calls.push('compress');
        return Buffer.from(encoder.buffer).reverse();
      },
      async decompress(buffer: Buffer) {
        calls.push('decompress');
        return Buffer.from(buffer).reverse();
      },
    });
    CompressionCodecs[CompressionTypes.Snappy] = reversing;
    try {
      const data = Buffer.from('abc');
      assert.deepEqual(await compressWithCodecs(CompressionTypes.Snappy, data), Buffer.from('cba'));
      assert.deepEqual(await decompressWithCodecs(CompressionTypes.Snappy, Buffer.from('cba')), data);
      assert.deepEqual(calls, ['compress', 'decompress']);
      assert.ok(registeredCompressionCodec(CompressionTypes.Snappy));
      assert.equal(registeredCompressionCodec(CompressionTypes.GZIP), undefined);
      // Other types still use the built-in codecs.
      const gz = await compressWithCodecs(CompressionTypes.GZIP, data);
      assert.deepEqual(gunzipSync(gz), data);
    } finally {
      CompressionCodecs[CompressionTypes.Snappy] = builtin;
    }
    assert.equal(registeredCompressionCodec(CompressionTypes.Snappy), undefined);
  });

  it('rejects a registration that is not a codec factory, naming the entry', () => {
    const builtin = registry[CompressionTypes.LZ4];
    try {
      assert.throws(() => {
        registry[CompressionTypes.LZ4] = { compress() {} };
      }, /CompressionCodecs\[3\]/);
      assert.equal(registry[CompressionTypes.LZ4], builtin, 'the refused value was not stored');
      registry[CompressionTypes.LZ4] = () => ({});
      assert.throws(() => registeredCompressionCodec(CompressionTypes.LZ4), /compress\(encoder\)/);
    } finally {
      registry[CompressionTypes.LZ4] = builtin;
    }
  });
});
