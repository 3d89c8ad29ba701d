/**
 * Bad input to every public entry point: one test per row of {@link ROWS}, each asserting the
 * error class and an excerpt of its message. The same table is in docs/reliability.md; run with
 * BAD_INPUT_TABLE=1 to print it as Markdown rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin } from '../../src/admin/index.js';
import type { Consumer, ConsumerOptions } from '../../src/consumer/index.js';
import { KafkaJSError } from '../../src/errors/base.js';
import * as errors from '../../src/index.js';
import { Kafka, type KafkaConfig } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { Producer } from '../../src/producer/index.js';
import { testCluster, uniqueTopicName } from '../helpers/cluster.js';
import { createTopic } from './helpers.js';

/** Passes a deliberately wrong value through the type checker. */
const bad = <T>(value: unknown): T => value as T;

interface Row {
  /** What the caller does wrong. */
  input: string;
  run: () => unknown;
  /** The error class's name (checked with instanceof against the exported class when there is one). */
  error: string;
  /** A piece of the message. */
  excerpt: RegExp;
  /** Needs the broker's SASL/TLS listeners (absent on an external PLAINTEXT-only cluster). */
  needs?: 'sasl' | 'ssl';
  /** A known gap: the row runs as `todo` (reported, not failing) until the client is fixed. */
  gap?: string;
}

const cluster = testCluster();
const topic = uniqueTopicName('rel-bad-input');
const fast = { retry: { retries: 0 }, connectionTimeout: 3_000, logLevel: logLevel.NOTHING };
const kafka = new Kafka({ clientId: 'rel-bad-input', brokers: cluster.brokers, ...fast });
/** Group rows: the first FindCoordinator may meet a __consumer_offsets still being created. */
const patient = { retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 1_000 } };
let producer: Producer;
let admin: Admin;

const newKafka = (config: Partial<KafkaConfig>) =>
  new Kafka({ clientId: 'rel-bad-input', brokers: cluster.brokers, ...fast, ...config });

async function adminCall<T>(config: Partial<KafkaConfig>, call: (a: Admin) => Promise<T>): Promise<T> {
  const a = newKafka(config).admin();
  try {
    await a.connect();
    return await call(a);
  } finally {
    await a.disconnect().catch(() => {});
  }
}

/** A consumer for one row, always disconnected afterwards. */
async function consumerCall<T>(options: ConsumerOptions, call: (c: Consumer) => Promise<T> | T): Promise<T> {
  const c = kafka.consumer(options);
  try {
    return await call(c);
  } finally {
    await c.disconnect().catch(() => {});
  }
}

const group = () => ({ groupId: uniqueTopicName('rel-bad-group'), maxWaitTimeInMs: 100 });
const noop = { eachMessage: async () => {} };

const ROWS: Row[] = [
  // --- new Kafka(config)
  {
    input: 'Kafka: `brokers: []`',
    run: () => newKafka({ brokers: [] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /brokers/,
  },
  {
    input: 'Kafka: broker `"localhost:port"` (not a number)',
    run: () => newKafka({ brokers: ['localhost:port'] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /not a "host:port"/,
  },
  {
    input: 'Kafka: broker of wrong type (`42`)',
    run: () => newKafka({ brokers: bad([42]) }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /brokers/,
  },
  {
    input: 'Kafka: `clientId: 42`',
    run: () => newKafka({ clientId: bad(42) }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /clientId/,
  },
  {
    input: 'Kafka: `requestTimeout: -1`',
    run: () => newKafka({ requestTimeout: -1 }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /requestTimeout/,
  },
  {
    input: 'Kafka: `maxInFlightRequests: 0`',
    run: () => newKafka({ maxInFlightRequests: 0 }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /maxInFlightRequests/,
  },
  {
    input: "Kafka: `ssl: 'yes'`",
    run: () => newKafka({ ssl: bad('yes') }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /ssl/,
  },
  {
    input: 'Kafka: `logLevel: 99`',
    run: () => newKafka({ logLevel: bad(99) }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /logLevel/,
  },
  {
    input: 'Kafka: unknown SASL mechanism `GSSAPI-ish`',
    run: () => newKafka({ sasl: bad({ mechanism: 'GSSAPI-ish', username: 'u', password: 'p' }) }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /mechanism/,
  },
  {
    input: 'Kafka: SASL PLAIN without a username',
    run: () => newKafka({ sasl: bad({ mechanism: 'plain', password: 'p' }) }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /username/,
  },
  {
    input: 'Kafka: `retry: { retries: -1 }`',
    run: () => newKafka({ retry: { retries: -1 } }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /retries/,
  },
  // --- kafka.producer(options)
  {
    input: 'producer: unknown compression `99`',
    run: () => kafka.producer({ compression: bad(99) }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /compression/,
  },
  {
    input: 'producer: `acks: 1` with `idempotent: true`',
    run: () => kafka.producer({ idempotent: true, acks: 1 }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /acks|idempot/,
  },
  {
    input: 'producer: `maxInFlightRequests: 6` with `idempotent: true`',
    run: () => kafka.producer({ idempotent: true, maxInFlightRequests: 6 }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /maxInFlightRequests/,
  },
  {
    input: 'producer: `lingerMs: -5`',
    run: () => kafka.producer({ lingerMs: -5 }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /lingerMs/,
  },
  // --- producer.send / sendBatch
  {
    input: 'send before connect()',
    run: () => kafka.producer().send({ topic, messages: [{ value: 'v' }] }),
    error: 'KafkaJSProducerNotConnectedError',
    excerpt: /connect/,
  },
  {
    input: 'send after disconnect()',
    run: async () => {
      const p = kafka.producer();
      await p.connect();
      await p.disconnect();
      return p.send({ topic, messages: [{ value: 'v' }] });
    },
    error: 'KafkaJSProducerNotConnectedError',
    excerpt: /connect/,
  },
  {
    input: "send: `topic: ''`",
    run: () => producer.send({ topic: '', messages: [{ value: 'v' }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /topic/,
  },
  {
    input: 'send: topic missing',
    run: () => producer.send(bad({ messages: [{ value: 'v' }] })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /topic/,
  },
  {
    input: "send: topic `'bad topic!'` (illegal characters)",
    run: () => producer.send({ topic: 'bad topic!', messages: [{ value: 'v' }] }),
    error: 'KafkaJSProtocolError',
    excerpt: /invalid topic/,
  },
  {
    input: 'send: topic of 250 characters',
    run: () => producer.send({ topic: 'x'.repeat(250), messages: [{ value: 'v' }] }),
    error: 'KafkaJSProtocolError',
    excerpt: /invalid topic/,
  },
  {
    input: "send: `messages: 'v'` (not an array)",
    run: () => producer.send({ topic, messages: bad('v') }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /messages/,
  },
  {
    input: 'send: `value: 42` (a number)',
    run: () => producer.send({ topic, messages: [{ value: bad(42) }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /value/,
  },
  {
    input: 'send: `key: {}` (an object)',
    run: () => producer.send({ topic, messages: [{ key: bad({}), value: 'v' }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /key/,
  },
  {
    input: 'send: header value `42`',
    run: () => producer.send({ topic, messages: [{ value: 'v', headers: bad({ h: 42 }) }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /header/,
  },
  {
    input: 'send: `partition: -1`',
    run: () => producer.send({ topic, messages: [{ value: 'v', partition: -1 }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /partition/,
  },
  {
    input: "send: `partition: '0'` (a string)",
    run: () => producer.send({ topic, messages: [{ value: 'v', partition: bad('0') }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /partition/,
  },
  {
    input: 'send: `partition: 99` on a 2-partition topic',
    run: () => producer.send({ topic, messages: [{ value: 'v', partition: 99 }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /partition/,
  },
  {
    input: "send: `timestamp: 'yesterday'`",
    run: () => producer.send({ topic, messages: [{ value: 'v', timestamp: 'yesterday' }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /timestamp/,
  },
  {
    input: 'send: a 2 MiB value (maxRequestSize 1 MiB)',
    run: () => producer.send({ topic, messages: [{ value: Buffer.alloc(2 * 1024 * 1024) }] }),
    error: 'KafkaJSRecordTooLargeError',
    excerpt: /maxRequestSize/,
  },
  {
    input: 'send: unknown compression `7`',
    run: () => producer.send({ topic, compression: bad(7), messages: [{ value: 'v' }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /compression/,
  },
  {
    input: 'send: `acks: 2`',
    run: () => producer.send({ topic, acks: 2, messages: [{ value: 'v' }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /acks/,
  },
  {
    input: "sendBatch: `topicMessages: 'x'`",
    run: () => producer.sendBatch({ topicMessages: bad('x') }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /topicMessages/,
  },
  // --- kafka.consumer(options) and the consumer's methods
  {
    input: "consumer: `groupProtocol: 'bogus'` (unknown group protocol)",
    run: () => kafka.consumer({ groupId: 'g', groupProtocol: bad('bogus') }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /groupProtocol/,
  },
  {
    input: "consumer: `groupId: ''`",
    run: () => kafka.consumer({ groupId: '' }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /groupId/,
  },
  {
    input: 'consumer: `heartbeatInterval` ≥ `sessionTimeout`',
    run: () => kafka.consumer({ groupId: 'g', sessionTimeout: 6_000, heartbeatInterval: 6_000 }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /heartbeatInterval/,
  },
  {
    input: 'consumer: `maxWaitTimeInMs: -1`',
    run: () => kafka.consumer({ groupId: 'g', maxWaitTimeInMs: -1 }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /maxWaitTimeInMs/,
  },
  {
    input: "consumer.on('consumer.bogus') (unknown event)",
    run: () => kafka.consumer({ groupId: 'g' }).on(bad<'consumer.connect'>('consumer.bogus'), () => {}),
    error: 'KafkaJSInvalidArgument',
    excerpt: /unknown consumer event/,
  },
  {
    input: 'subscribe: `topics: []`',
    run: () => consumerCall(group(), (c) => c.subscribe({ topics: [] })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /at least one topic/,
  },
  {
    input: 'subscribe: no topics at all (`{}`)',
    run: () => consumerCall(group(), (c) => c.subscribe(bad({}))),
    error: 'KafkaJSInvalidArgument',
    excerpt: /at least one topic/,
  },
  {
    input: "subscribe: `topics: ['']`",
    run: () => consumerCall(group(), (c) => c.subscribe({ topics: [''] })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /non-empty string or a RegExp/,
  },
  {
    input: 'subscribe: a topic of wrong type (`42`)',
    run: () => consumerCall(group(), (c) => c.subscribe({ topics: [bad(42)] })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /non-empty string or a RegExp/,
  },
  {
    input: "subscribe: a regex of wrong type (`{ source: '^t' }`, not a RegExp)",
    run: () => consumerCall(group(), (c) => c.subscribe({ topics: [bad({ source: '^t', flags: '' })] })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /non-empty string or a RegExp/,
  },
  {
    input: 'subscribe without a groupId',
    run: () => consumerCall({}, (c) => c.subscribe({ topics: [topic] })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /groupId/,
  },
  {
    input: 'subscribe while running',
    run: () =>
      consumerCall(group(), async (c) => {
        await c.subscribe({ topics: [topic] });
        await c.run(noop);
        return c.subscribe({ topics: [topic] });
      }),
    error: 'KafkaJSError',
    excerpt: /while the consumer is running/,
  },
  {
    input: 'run() without eachMessage or eachBatch',
    run: () => consumerCall(group(), (c) => c.run({})),
    error: 'KafkaJSInvalidArgument',
    excerpt: /eachMessage/,
  },
  {
    input: 'run() before subscribe()',
    run: () => consumerCall(group(), (c) => c.run(noop)),
    error: 'KafkaJSError',
    excerpt: /[Ss]ubscribe/,
  },
  {
    input: 'run: `partitionsConsumedConcurrently: 0`',
    run: () => consumerCall(group(), (c) => c.run({ ...noop, partitionsConsumedConcurrently: 0 })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /partitionsConsumedConcurrently/,
  },
  {
    input: 'assign() after subscribe()',
    run: () =>
      consumerCall(group(), async (c) => {
        await c.subscribe({ topics: [topic] });
        c.assign([{ topic, partitions: [0] }]);
      }),
    error: 'KafkaJSError',
    excerpt: /cannot be mixed/,
  },
  {
    input: "commitOffsets: `offset: 'abc'`",
    run: () => consumerCall(group(), (c) => c.commitOffsets([{ topic, partition: 0, offset: 'abc' }])),
    error: 'KafkaJSInvalidArgument',
    excerpt: /offset/,
  },
  {
    input: 'commitOffsets without a groupId',
    run: () => consumerCall({}, (c) => c.commitOffsets([{ topic, partition: 0, offset: '1' }])),
    error: 'KafkaJSError',
    excerpt: /groupId/,
  },
  {
    input: 'commitOffsets: partition 99 of a 2-partition topic',
    run: () =>
      consumerCall({ ...group(), retry: { retries: 0 } }, async (c) => {
        await c.connect();
        return c.commitOffsets([{ topic, partition: 99, offset: '1' }]);
      }),
    error: 'KafkaJSError',
    excerpt: /./,
  },
  {
    input: 'seek: `offset: -5`',
    run: () => consumerCall(group(), (c) => c.seek({ topic, partition: 0, offset: -5 })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /offset/,
  },
  {
    input: "seek: `offset: 'abc'`",
    run: () => consumerCall(group(), (c) => c.seek({ topic, partition: 0, offset: 'abc' })),
    error: 'KafkaJSInvalidArgument',
    excerpt: /offset/,
  },
  // --- admin
  {
    input: "admin.createTopics: `topic: ''`",
    run: () => admin.createTopics({ topics: [{ topic: '' }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /topic/,
  },
  {
    input: "admin.createTopics: `'bad topic!'`",
    run: () => admin.createTopics({ topics: [{ topic: 'bad topic!' }] }),
    error: 'KafkaJSAggregateError',
    excerpt: /bad topic!/,
  },
  {
    input: 'admin.createTopics: `numPartitions: -5`',
    run: () => admin.createTopics({ topics: [{ topic: uniqueTopicName('np'), numPartitions: -5 }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /numPartitions/,
  },
  {
    input: 'admin.createTopics: replication factor 5 on a 1-node cluster',
    run: () => admin.createTopics({ topics: [{ topic: uniqueTopicName('rf'), replicationFactor: 5 }] }),
    error: 'KafkaJSAggregateError',
    excerpt: /replication/i,
  },
  {
    input: "admin.deleteTopics: `topics: 'x'`",
    run: () => admin.deleteTopics({ topics: bad('x') }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /topics/,
  },
  {
    input: 'admin.deleteTopics: an unknown topic',
    run: () => admin.deleteTopics({ topics: [uniqueTopicName('nope')] }),
    error: 'KafkaJSAggregateError',
    excerpt: /nope|UNKNOWN_TOPIC|not/i,
  },
  {
    input: "admin.fetchTopicOffsets('')",
    run: () => admin.fetchTopicOffsets(''),
    error: 'KafkaJSInvalidArgument',
    excerpt: /topic/,
  },
  {
    input: 'admin.fetchTopicOffsets: an unknown topic',
    run: () => admin.fetchTopicOffsets(uniqueTopicName('nope')),
    error: 'KafkaJSProtocolError',
    excerpt: /./,
  },
  {
    input: 'admin.createPartitions: fewer than now',
    run: () => admin.createPartitions({ topicPartitions: [{ topic, count: 1 }] }),
    error: 'KafkaJSProtocolError',
    excerpt: /partition/i,
  },
  {
    input: 'admin.describeGroups: an unknown group',
    run: () => adminCall(patient, (a) => a.describeGroups([uniqueTopicName('no-group')])),
    error: 'KafkaJSAggregateError',
    excerpt: /does not exist|not found/i,
  },
  {
    input: 'admin.deleteGroups: an unknown group',
    run: () => adminCall(patient, (a) => a.deleteGroups([uniqueTopicName('no-group')])),
    error: 'KafkaJSDeleteGroupsError',
    excerpt: /does not exist|not found/i,
  },
  {
    input: "admin.fetchOffsets: `groupId: ''`",
    run: () => admin.fetchOffsets({ groupId: '', topics: [topic] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /groupId/,
  },
  {
    input: "admin.setOffsets: `offset: 'abc'`",
    run: () => admin.setOffsets({ groupId: 'g', topic, partitions: [{ partition: 0, offset: 'abc' }] }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /offset/,
  },
  {
    input: 'admin.describeConfigs: resource type 99',
    run: () => admin.describeConfigs({ resources: [{ type: bad(99), name: topic }], includeSynonyms: false }),
    error: 'KafkaJSInvalidArgument',
    excerpt: /type/,
  },
  {
    input: 'admin call after disconnect()',
    run: async () => {
      const a = kafka.admin();
      await a.connect();
      await a.disconnect();
      return a.listTopics();
    },
    error: 'KafkaJSError',
    excerpt: /closed/,
  },
  // --- connection: security and addresses
  {
    input: 'wrong password (SASL PLAIN)',
    needs: 'sasl',
    run: () =>
      adminCall(
        {
          brokers: cluster.listeners.saslPlaintext,
          sasl: { mechanism: 'plain', username: 'alice', password: 'not-alice-secret' },
        },
        (a) => a.listTopics(),
      ),
    error: 'KafkaJSSASLAuthenticationError',
    excerpt: /[Aa]uthentication/,
  },
  {
    input: 'wrong password (SCRAM-SHA-512)',
    needs: 'sasl',
    run: () =>
      adminCall(
        {
          brokers: cluster.listeners.saslPlaintext,
          sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'not-alice-secret' },
        },
        (a) => a.listTopics(),
      ),
    error: 'KafkaJSSASLAuthenticationError',
    excerpt: /[Aa]uthentication/,
  },
  {
    input: 'unknown user (SCRAM-SHA-256)',
    needs: 'sasl',
    run: () =>
      adminCall(
        {
          brokers: cluster.listeners.saslPlaintext,
          sasl: { mechanism: 'scram-sha-256', username: 'mallory', password: 'x' },
        },
        (a) => a.listTopics(),
      ),
    error: 'KafkaJSSASLAuthenticationError',
    excerpt: /[Aa]uthentication/,
  },
  {
    input: 'TLS without the cluster CA (self-signed chain)',
    needs: 'ssl',
    run: () => adminCall({ brokers: cluster.listeners.ssl, ssl: true }, (a) => a.listTopics()),
    error: 'KafkaJSConnectionError',
    excerpt: /cert|self.signed/i,
  },
  {
    input: 'TLS to a PLAINTEXT listener',
    run: () => adminCall({ ssl: { rejectUnauthorized: false } }, (a) => a.listTopics()),
    error: 'KafkaJSNumberOfRetriesExceeded',
    excerpt: /socket disconnected|TLS/,
  },
  {
    input: 'PLAINTEXT to a TLS listener',
    needs: 'ssl',
    run: () =>
      adminCall(
        { brokers: cluster.listeners.ssl, requestTimeout: 3_000, authenticationTimeout: 3_000 },
        (a) => a.listTopics(),
      ),
    error: 'KafkaJSNumberOfRetriesExceeded',
    excerpt: /exceeds the \d+-byte limit/,
  },
  {
    input: 'SASL to a PLAINTEXT listener',
    run: () =>
      adminCall(
        {
          sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
          authenticationTimeout: 3_000,
        },
        (a) => a.listTopics(),
      ),
    error: 'KafkaJSUnsupportedMechanism',
    excerpt: /not enabled/,
  },
  {
    input: 'nothing listening at the broker address',
    run: () => adminCall({ brokers: ['127.0.0.1:1'] }, (a) => a.listTopics()),
    error: 'KafkaJSNumberOfRetriesExceeded',
    excerpt: /127\.0\.0\.1:1\b/,
  },
];

const exported = errors as unknown as Record<string, unknown>;
const printTable = process.env.BAD_INPUT_TABLE === '1';
const table: string[] = [];

describe('bad input: one typed error per row', () => {
  before(async () => {
    await createTopic(cluster.brokers, topic, 2);
    producer = kafka.producer();
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
  });
  after(async () => {
    await producer?.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
    if (printTable)
      console.log(`\n| input | error class | message excerpt |\n| --- | --- | --- |\n${table.join('\n')}`);
  });

  for (const row of ROWS) {
    const skip =
      (row.needs === 'sasl' && cluster.listeners.saslPlaintext.length === 0) ||
      (row.needs === 'ssl' && cluster.listeners.ssl.length === 0);
    it(`${row.input} → ${row.error}`, {
      skip: skip && 'the cluster has no such listener',
      todo: row.gap,
      timeout: 30_000,
    }, async () => {
      let caught: unknown;
      try {
        await row.run();
      } catch (error) {
        caught = error;
      }
      assert.ok(caught !== undefined, 'it must fail');
      const e = caught as Error;
      if (printTable) {
        const message = e.message.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 110);
        const input = row.gap ? `${row.input} (**gap**: expected \`${row.error}\`)` : row.input;
        table.push(`| ${input} | \`${e.name}\` | ${message} |`);
      }
      assert.ok(e instanceof KafkaJSError, `a KafkaJSError, got ${e?.name}: ${e?.message}`);
      const cls = exported[row.error];
      if (typeof cls === 'function')
        assert.ok(e instanceof cls, `instanceof ${row.error}, got ${e.name}: ${e.message}`);
      else assert.equal(e.name, row.error, `got ${e.name}: ${e.message}`);
      assert.match(e.message, row.excerpt);
    });
  }
});

/** Inputs that look wrong but are accepted on purpose: each must return without an error. */
const ACCEPTED: { input: string; run: () => unknown; because: string; gap?: string }[] = [
  {
    input: 'seek on a partition not assigned (yet)',
    run: () => consumerCall(group(), (c) => c.seek({ topic, partition: 1, offset: 0 })),
    because: 'kept as a pending seek, applied if the partition is assigned later (KafkaJS throws instead)',
  },
  {
    input: 'seek on a topic that does not exist',
    run: () =>
      consumerCall(group(), (c) => c.seek({ topic: uniqueTopicName('nope'), partition: 0, offset: 0 })),
    because: 'the same pending seek; never applied',
  },
  {
    input: 'commitOffsets of an empty list',
    run: () => consumerCall(group(), (c) => c.commitOffsets([])),
    because: 'nothing to commit, no request',
  },
  {
    input: 'commitOffsets of partition 0 of an existing topic the consumer has not subscribed to',
    run: () =>
      consumerCall({ ...group(), retry: patient.retry }, async (c) => {
        await c.connect();
        return c.commitOffsets([{ topic, partition: 0, offset: '1' }]);
      }),
    because: 'KafkaJS commits any topic',
  },
];

describe('accepted input: no error by design', () => {
  for (const row of ACCEPTED) {
    it(`${row.input}: ${row.because}`, { todo: row.gap, timeout: 30_000 }, async () => {
      await row.run();
    });
  }
});
