/**
 * Security on an authorizer-enabled cluster reached over SASL_SSL (its own single node, started
 * here): the super user `admin` can create, produce and list; `alice`, who has no ACL, gets typed
 * authorization errors; a wrong password gets a typed SASL error. Every client logs at DEBUG into
 * a recorder, and at the end every recorded line and every error (message, stack, causes, own
 * fields) is searched for the passwords: none may appear.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as tls from 'node:tls';
import { inspect } from 'node:util';
import { KafkaJSError } from '../../src/errors/base.js';
import { KafkaJSSASLAuthenticationError } from '../../src/errors/network.js';
import { ClusterAuthorizationFailedError, TopicAuthorizationFailedError } from '../../src/errors/protocol.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { SaslConfig } from '../../src/network/sasl/types.js';
import { type KafkaCluster, startKafka } from '../../src/testing/index.js';
import { LogRecorder } from './helpers.js';

const SECRETS = ['admin-secret', 'alice-secret', 'wrong-secret-123'];

describe('security: SASL_SSL with the authorizer on; no secret in any log line or error', () => {
  let cluster: KafkaCluster;
  const recorder = new LogRecorder();
  const seenErrors: unknown[] = [];
  const topic = `rel-security-${Date.now()}`;

  /** TCP connections the clients opened: each one is a login attempt on this SASL_SSL listener. */
  let connectionsOpened = 0;
  const countingSocketFactory = ({
    host,
    port,
    ssl,
    onConnect,
  }: {
    host: string;
    port: number;
    ssl: tls.ConnectionOptions | undefined;
    onConnect: () => void;
  }): net.Socket => {
    connectionsOpened++;
    return ssl ? tls.connect({ ...ssl, host, port }, onConnect) : net.connect({ host, port }, onConnect);
  };

  const client = (sasl: SaslConfig) =>
    new Kafka({
      clientId: 'rel-security',
      brokers: cluster.listeners.saslSsl,
      ssl: { ca: cluster.tls.ca },
      socketFactory: countingSocketFactory,
      sasl,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
      logLevel: logLevel.DEBUG,
      logCreator: recorder.logCreator,
    });

  async function expectFailure(what: string, p: Promise<unknown>): Promise<Error> {
    try {
      await p;
    } catch (error) {
      seenErrors.push(error);
      return error as Error;
    }
    assert.fail(`${what} should have failed`);
  }

  /** The error itself, its causes and aggregated errors, as far down as they go. */
  function flatten(e: unknown, out: unknown[] = []): unknown[] {
    if (e === null || typeof e !== 'object' || out.includes(e)) return out;
    out.push(e);
    const err = e as { cause?: unknown; errors?: unknown[] };
    flatten(err.cause, out);
    if (Array.isArray(err.errors)) for (const x of err.errors) flatten(x, out);
    return out;
  }

  before(async () => {
    cluster = await startKafka({ authorizer: true, heapMb: 384, log: (l) => console.log(`[kafka] ${l}`) });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('the super user admin (SCRAM-SHA-512) creates a topic, produces and lists', {
    timeout: 60_000,
  }, async () => {
    const kafka = client({ mechanism: 'scram-sha-512', username: 'admin', password: 'admin-secret' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    const [meta] = await producer.send({ topic, messages: [{ key: 'k', value: 'by admin' }] });
    assert.equal(meta?.errorCode, 0);
    assert.ok((await admin.listTopics()).includes(topic));
    await producer.disconnect();
    await admin.disconnect();
  });

  it('alice (PLAIN, no ACL): the idempotent producer cannot connect: ClusterAuthorizationFailedError', {
    timeout: 60_000,
  }, async () => {
    // An idempotent producer needs IDEMPOTENT_WRITE on the cluster (InitProducerId) first.
    const kafka = client({ mechanism: 'plain', username: 'alice', password: 'alice-secret' });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    const e = await expectFailure('alice connecting an idempotent producer', producer.connect());
    assert.ok(
      flatten(e).some((x) => x instanceof ClusterAuthorizationFailedError),
      `a ClusterAuthorizationFailedError in ${e.name}: ${e.message}`,
    );
    await producer.disconnect().catch(() => {});
  });

  it('alice (PLAIN, no ACL) cannot produce: TopicAuthorizationFailedError', { timeout: 60_000 }, async () => {
    const kafka = client({ mechanism: 'plain', username: 'alice', password: 'alice-secret' });
    const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
    await producer.connect();
    const e = await expectFailure(
      'alice producing',
      producer.send({ topic, messages: [{ value: 'by alice' }] }),
    );
    assert.ok(
      flatten(e).some((x) => x instanceof TopicAuthorizationFailedError),
      `a TopicAuthorizationFailedError in ${e.name}: ${e.message}`,
    );
    await producer.disconnect().catch(() => {});
  });

  it('alice (SCRAM-SHA-256, no ACL) cannot create a topic: a typed authorization error', {
    timeout: 60_000,
  }, async () => {
    const kafka = client({ mechanism: 'scram-sha-256', username: 'alice', password: 'alice-secret' });
    const admin = kafka.admin();
    await admin.connect();
    const e = await expectFailure(
      'alice creating a topic',
      admin.createTopics({ topics: [{ topic: `${topic}-2` }] }),
    );
    assert.ok(e instanceof KafkaJSError);
    assert.match(
      flatten(e)
        .map((x) => `${(x as Error).name}: ${(x as Error).message}`)
        .join('\n'),
      /authorization failed/i,
    );
    // What she may not see is left out, not an error.
    assert.ok(!(await admin.listTopics()).includes(topic), 'alice does not see the topic');
    await admin.disconnect();
  });

  it('a wrong password fails with KafkaJSSASLAuthenticationError, without retrying', {
    timeout: 60_000,
  }, async () => {
    const kafka = client({ mechanism: 'scram-sha-512', username: 'alice', password: 'wrong-secret-123' });
    const admin = kafka.admin();
    const before = connectionsOpened;
    const e = await expectFailure(
      'a wrong password',
      admin.connect().then(() => admin.listTopics()),
    );
    assert.ok(
      flatten(e).some((x) => x instanceof KafkaJSSASLAuthenticationError),
      `${e.name}: ${e.message}`,
    );
    // The client is configured with retries: 2, so a retried login would show 3 connections.
    // Wait a little for any late retry before counting.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(connectionsOpened - before, 1, 'one login attempt, not retried');
    await admin.disconnect().catch(() => {});
  });

  it('no password appears in any recorded log line, error message, stack or error field', () => {
    assert.ok(recorder.lines.length > 10, `DEBUG logging captured lines (${recorder.lines.length})`);
    const texts: string[] = [...recorder.lines];
    for (const e of seenErrors) {
      for (const x of flatten(e)) {
        const err = x as Error;
        texts.push(String(err.message), String(err.stack), inspect(err, { depth: 6 }));
      }
    }
    console.log(
      `[figures] security: scanned ${recorder.lines.length} log lines and ${seenErrors.length} errors`,
    );
    for (const secret of SECRETS) {
      const hits = texts.filter((t) => t.includes(secret));
      assert.deepEqual(hits, [], `"${secret}" appears`);
    }
  });
});
