/**
 * Run-time parity with KafkaJS 2.2.4, checked against KafkaJS itself (the kafkajs
 * devDependency): its error classes and error codes, what its logger leaves alone, and the
 * producer settings a KafkaJS program passes. Differences kafkats keeps on purpose are listed
 * with the reason; a difference not listed fails.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { createProtocolError } from '../../../src/errors/protocol.js';
import * as kafkats from '../../../src/index.js';
import { KafkaJSError, KafkaJSInvalidArgument } from '../../../src/index.js';
import { redact } from '../../../src/logger.js';
import { type ProducerOptions, resolveProducerOptions } from '../../../src/producer/options.js';

const require = createRequire(import.meta.url);
const kafkajs = require('kafkajs') as Record<string, unknown>;
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: Array<{ type: string; code: number; retriable: boolean }>;
};

type ErrorClass = new (...args: unknown[]) => Error & { retriable?: boolean };

/** KafkaJS's constructor arguments: an Error to wrap and the metadata its classes read. */
const ARGS: unknown[] = [
  new Error('boom'),
  { topic: 't', partition: 0, retryCount: 1, retryTime: 2, broker: 'b:1', apiKey: 0, apiName: 'Produce' },
];

/** Classes whose name, message or retriability differ from KafkaJS's on purpose. */
const DELIBERATE: Record<string, string> = {
  KafkaJSProtocolError: "kafkats' constructor takes (code, brokerMessage): built from a broker answer",
  KafkaJSNumberOfRetriesExceeded: 'the message says how many retries were made before the cause',
  KafkaJSGroupCoordinatorNotFound: 'retriable: kafkats looks the coordinator up again (KafkaJS: not)',
  KafkaJSDeleteGroupsError: "kafkats' constructor takes (message, groups)",
  KafkaJSDeleteTopicRecordsError: "kafkats' constructor takes (topic, partitions)",
  KafkaJSAggregateError: 'kafkats lists each item failure in the message',
  KafkaJSInvalidVarIntError: 'its own name (KafkaJS names it KafkaJSNonRetriableError)',
  KafkaJSInvalidLongError: 'its own name (KafkaJS names it KafkaJSNonRetriableError)',
  KafkaJSFetcherRebalanceError: 'a KafkaJSError (KafkaJS: a plain Error)',
  KafkaJSNoBrokerAvailableError: 'the message given is kept (KafkaJS: always "No broker available")',
};

function shape(make: () => Error & { retriable?: boolean }): string {
  try {
    const e = make();
    return JSON.stringify({ name: e.name, message: e.message, retriable: e.retriable });
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

describe('KafkaJS 2.2.4 run-time parity', () => {
  it('new KafkaJSError(message | Error) is retriable by default, as in KafkaJS', () => {
    const K = kafkajs.KafkaJSError as ErrorClass;
    assert.equal(new KafkaJSError('x').retriable, new K('x').retriable);
    assert.equal(new KafkaJSError('x').retriable, true);
    assert.equal(new KafkaJSError('x', { retriable: false }).retriable, false);
    const wrapped = new KafkaJSError(new Error('inner'));
    assert.equal(wrapped.message, 'inner');
    assert.equal(wrapped.cause?.message, 'inner');
    assert.equal(new KafkaJSError('x', { cause: 'not an error' }).cause?.message, 'not an error');
  });

  it("constructs each KafkaJS error class from KafkaJS's arguments with its name, message and retriability", () => {
    const differences: string[] = [];
    const names = Object.keys(kafkajs).filter((n) => n.startsWith('KafkaJS'));
    assert.ok(names.length >= 30, `KafkaJS exports ${names.length} error classes`);
    for (const name of names) {
      const ours = (kafkats as unknown as Record<string, ErrorClass | undefined>)[name];
      assert.ok(ours, `${name} is exported`);
      const theirs = kafkajs[name] as ErrorClass;
      const expected = shape(() => new theirs(...ARGS));
      const actual = shape(() => new ours(...ARGS));
      if (expected !== actual && !DELIBERATE[name])
        differences.push(`${name}: ${actual}, KafkaJS ${expected}`);
    }
    assert.deepEqual(differences, []);
  });

  it("maps every error code KafkaJS knows to KafkaJS's code and retriability, and its type but for Kafka's renames", () => {
    // Kafka renamed these after KafkaJS froze its table; kafkats uses the current names.
    const renamed: Record<number, string> = {
      [-1]: 'UNKNOWN_SERVER_ERROR',
      6: 'NOT_LEADER_OR_FOLLOWER',
      14: 'COORDINATOR_LOAD_IN_PROGRESS',
      15: 'COORDINATOR_NOT_AVAILABLE',
      16: 'NOT_COORDINATOR',
    };
    assert.ok(errorCodes.length > 80);
    for (const entry of errorCodes) {
      const ours = createProtocolError(entry.code);
      assert.equal(ours.name, 'KafkaJSProtocolError');
      assert.equal(ours.code, entry.code);
      assert.equal(ours.retriable, entry.retriable, `retriable of ${entry.type}`);
      assert.ok(
        ours.type === entry.type || ours.type === renamed[entry.code],
        `type of ${entry.code}: ${ours.type}`,
      );
    }
  });

  it('redacts secrets in log fields and keeps a field called key', () => {
    const out = redact({
      key: 'user-42',
      topic: 't',
      password: 'hunter2',
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
      oauth: { token: 'abc', accessKeyId: 'AKIA', secretAccessKey: 's' },
      ssl: { key: '-----BEGIN PRIVATE KEY-----', cert: 'CERT', passphrase: 'pp', pfx: Buffer.from('x') },
      messages: [{ key: 'k1', value: 'v1' }],
    }) as Record<string, Record<string, unknown>>;
    assert.equal(out.key, 'user-42');
    assert.equal(out.topic, 't');
    assert.equal(out.password, '[redacted]');
    assert.deepEqual(out.sasl, { mechanism: 'scram-sha-256', username: 'u', password: '[redacted]' });
    assert.deepEqual(out.oauth, {
      token: '[redacted]',
      accessKeyId: '[redacted]',
      secretAccessKey: '[redacted]',
    });
    assert.deepEqual(out.ssl, {
      key: '[redacted]',
      cert: 'CERT',
      passphrase: '[redacted]',
      pfx: '[redacted]',
    });
    assert.deepEqual(out.messages, [{ key: 'k1', value: 'v1' }]);
  });

  it('a user field called key reaches the log creator', () => {
    const seen: Array<Record<string, unknown>> = [];
    const kafka = new kafkats.Kafka({
      brokers: ['localhost:9092'],
      logLevel: kafkats.logLevel.INFO,
      logCreator: () => (entry) => seen.push(entry.log),
    });
    kafka.logger().info('looked up', { key: 'user-42', password: 'hunter2' });
    assert.equal(seen[0]?.key, 'user-42');
    assert.equal(seen[0]?.password, '[redacted]');
  });

  it("turns the default idempotence off when acks or maxInFlightRequests conflict (Java's rule)", () => {
    const acks1 = resolveProducerOptions({ acks: 1 });
    assert.equal(acks1.idempotent, false);
    assert.equal(acks1.acks, 1);
    assert.match(acks1.idempotenceOffReason ?? '', /acks is 1/);
    assert.equal(resolveProducerOptions({ acks: 0 }).idempotent, false);
    const inFlight = resolveProducerOptions({ maxInFlightRequests: 10 });
    assert.equal(inFlight.idempotent, false);
    assert.match(inFlight.idempotenceOffReason ?? '', /maxInFlightRequests is 10/);
    const plain = resolveProducerOptions({});
    assert.equal(plain.idempotent, true);
    assert.equal(plain.idempotenceDefaulted, true);
    assert.equal(plain.idempotenceOffReason, undefined);
  });

  it('refuses a conflict with idempotence asked for explicitly, with a typed error naming the option', () => {
    const conflicts: ProducerOptions[] = [
      { idempotent: true, acks: 1 },
      { idempotent: true, acks: 0 },
      { transactionalId: 'tx', acks: 1 },
      { idempotent: true, maxInFlightRequests: 6 },
    ];
    for (const options of conflicts) {
      assert.throws(
        () => resolveProducerOptions(options),
        (e: unknown) =>
          e instanceof KafkaJSInvalidArgument &&
          e.option === (options.acks !== undefined ? 'acks' : 'maxInFlightRequests') &&
          /remove (acks|maxInFlightRequests)/.test(e.message),
        JSON.stringify(options),
      );
    }
    assert.equal(resolveProducerOptions({ idempotent: false, acks: 1 }).idempotenceOffReason, undefined);
  });
});
