/**
 * Mutual TLS on a cluster of its own (started here) whose SSL listener demands a client
 * certificate (`sslClientAuth: 'required'`) and whose authorizer is on. A certificate signed by the
 * cluster's CA is accepted and the broker authorizes its subject as the principal
 * (`User:CN=mtls-reader` may write one topic and not another; the harness's own client
 * certificate, another principal, may write neither). A client without a certificate, and one
 * with a certificate from a CA the broker does not trust, are refused with a typed, non-retriable
 * TLS error, quickly and after one connection attempt. A key encrypted with a passphrase works.
 *
 * Connection attempts are counted by a socketFactory that opens the same TLS socket the client
 * would (tls.connect with the client's own options) and counts each call.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  ResourcePatternTypes,
} from '../../src/admin/index.js';
import { KafkaJSError } from '../../src/errors/base.js';
import { KafkaJSConnectionError } from '../../src/errors/network.js';
import { TopicAuthorizationFailedError } from '../../src/errors/protocol.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { SocketFactory } from '../../src/network/connection.js';
import { type ClientCertificate, issueClientCertificate } from '../../src/testing/certs.js';
import { type KafkaCluster, startKafka } from '../../src/testing/index.js';

/** The error and its causes, as far down as they go. */
function chain(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (
    let x = e;
    x !== null && typeof x === 'object' && !out.includes(x);
    x = (x as { cause?: unknown }).cause
  )
    out.push(x);
  return out;
}

describe('mutual TLS (ssl.client.auth=required) with the authorizer on', () => {
  let cluster: KafkaCluster;
  let admin: Admin;
  let reader: ClientCertificate;
  let readerEncrypted: ClientCertificate;
  let untrusted: ClientCertificate;
  const allowed = `mtls-allowed-${Date.now()}`;
  const denied = `mtls-denied-${Date.now()}`;

  /** A client of the SSL listener that counts its connection attempts. */
  function sslClient(ssl: tls.ConnectionOptions) {
    const counter = { attempts: 0 };
    const socketFactory: SocketFactory = ({ host, port, ssl: options, onConnect }) => {
      counter.attempts++;
      return tls.connect({ ...options, host, port }, onConnect);
    };
    const kafka = new Kafka({
      clientId: 'rel-mtls',
      brokers: cluster.listeners.ssl,
      ssl: { ca: cluster.tls.ca, ...ssl },
      socketFactory,
      connectionTimeout: 3_000,
      // A retry storm would show here: five retries are allowed for retriable failures.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.NOTHING,
    });
    return { kafka, counter };
  }

  async function produces(kafka: Kafka, topic: string): Promise<true | Error> {
    const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
    try {
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k', value: `to ${topic}` }] });
      return true;
    } catch (error) {
      return error as Error;
    } finally {
      await producer.disconnect().catch(() => {});
    }
  }

  /** A refused TLS client: a typed, non-retriable connection error, in time, after one attempt. */
  async function assertRefused(ssl: tls.ConnectionOptions, what: string): Promise<void> {
    const { kafka, counter } = sslClient(ssl);
    const client = kafka.admin();
    const started = Date.now();
    const error = await client.connect().then(
      () => client.listTopics().then(() => undefined),
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    await client.disconnect().catch(() => {});
    assert.ok(error instanceof KafkaJSError, `${what}: a typed error, got ${String(error)}`);
    const tlsError = chain(error).find((x) => x instanceof KafkaJSConnectionError) as
      | KafkaJSConnectionError
      | undefined;
    assert.ok(tlsError, `${what}: a KafkaJSConnectionError in ${error.name}: ${error.message}`);
    assert.equal(tlsError.retriable, false, `${what}: not retriable (${tlsError.code}: ${tlsError.message})`);
    assert.match(tlsError.message, /^TLS connection to 127\.0\.0\.1:\d+ failed/);
    console.log(
      `[figures] mtls ${what}: ${tlsError.code} after ${elapsed} ms, ${counter.attempts} attempt(s)`,
    );
    assert.ok(elapsed < 5_000, `${what}: refused in ${elapsed} ms (< 5 s)`);
    // Nothing keeps trying in the background either.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(counter.attempts, 1, `${what}: one connection attempt`);
  }

  before(async () => {
    cluster = await startKafka({
      authorizer: true,
      sslClientAuth: 'required',
      heapMb: 384,
      log: (l) => console.log(`[kafka] ${l}`),
    });
    const dir = dirname(cluster.tls.caPath!);
    reader = await issueClientCertificate(dir, { name: 'reader', commonName: 'mtls-reader' });
    readerEncrypted = await issueClientCertificate(dir, {
      name: 'reader-locked',
      commonName: 'mtls-reader',
      passphrase: 'open sesame 42',
    });
    untrusted = await issueClientCertificate(dir, {
      name: 'rogue',
      commonName: 'mtls-reader',
      untrustedCa: true,
    });
    // The PLAINTEXT listener is the super user ANONYMOUS: it sets the scene.
    admin = new Kafka({
      clientId: 'rel-mtls-admin',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: allowed, numPartitions: 1 },
        { topic: denied, numPartitions: 1 },
      ],
    });
    const acl = (operation: number) => ({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: allowed,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: reader.principal,
      host: '*',
      operation: operation as 4,
      permissionType: AclPermissionTypes.ALLOW,
    });
    await admin.createAcls({ acl: [acl(AclOperationTypes.WRITE), acl(AclOperationTypes.DESCRIBE)] });
    // ACLs reach the authorizer through the metadata log: wait until they are listed.
    for (let i = 0; i < 50; i++) {
      const described = await admin.describeAcls({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: allowed,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      if (described.resources.some((r) => r.acls.length === 2)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    await admin?.disconnect().catch(() => {});
    await cluster?.stop();
  });

  it('a certificate from the cluster CA is accepted; its subject is the principal the ACLs name', {
    timeout: 60_000,
  }, async () => {
    const { kafka } = sslClient({ cert: reader.cert, key: reader.key });
    assert.equal(await produces(kafka, allowed), true, `${reader.principal} may write ${allowed}`);
    const refused = await produces(kafka, denied);
    assert.ok(
      refused !== true && chain(refused).some((x) => x instanceof TopicAuthorizationFailedError),
      `${reader.principal} may not write ${denied}: ${refused}`,
    );
    // The harness's own client certificate (CN=kafkats-client) is another principal, with no ACL.
    const other = sslClient({ cert: cluster.tls.cert, key: cluster.tls.key });
    const otherRefused = await produces(other.kafka, allowed);
    assert.ok(
      otherRefused !== true && chain(otherRefused).some((x) => x instanceof TopicAuthorizationFailedError),
      `User:CN=kafkats-client may not write ${allowed}: ${otherRefused}`,
    );
    const [offsets] = await admin.fetchTopicOffsets(allowed);
    assert.equal(offsets?.high, '1', 'exactly the one record of the allowed principal arrived');
  });

  it('without a client certificate: a typed TLS error in < 5 s, after one attempt', {
    timeout: 60_000,
  }, async () => {
    await assertRefused({}, 'no client certificate');
  });

  it('a certificate from a CA the broker does not trust is refused the same way', {
    timeout: 60_000,
  }, async () => {
    await assertRefused({ cert: untrusted.cert, key: untrusted.key }, 'untrusted CA');
  });

  it('a private key encrypted with a passphrase works', { timeout: 60_000 }, async () => {
    assert.match(readerEncrypted.key, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const { kafka } = sslClient({
      cert: readerEncrypted.cert,
      key: readerEncrypted.key,
      passphrase: readerEncrypted.passphrase,
    });
    assert.equal(await produces(kafka, allowed), true);
    const [offsets] = await admin.fetchTopicOffsets(allowed);
    assert.equal(offsets?.high, '2');
  });

  it('a wrong passphrase is a typed, non-retriable error that says the key does not decrypt, after one attempt', {
    timeout: 60_000,
  }, async () => {
    const { kafka, counter } = sslClient({
      cert: readerEncrypted.cert,
      key: readerEncrypted.key,
      passphrase: 'not the passphrase',
    });
    const client = kafka.admin();
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await client.disconnect().catch(() => {});
    assert.ok(error instanceof KafkaJSError, `a typed error, got ${String(error)}`);
    const tlsError = chain(error).find((x) => x instanceof KafkaJSConnectionError) as
      | KafkaJSConnectionError
      | undefined;
    assert.ok(tlsError, `a KafkaJSConnectionError in ${error.name}: ${error.message}`);
    assert.equal(tlsError.retriable, false);
    assert.match(tlsError.message, /bad decrypt/);
    console.log(`[figures] mtls wrong passphrase: ${tlsError.code}, ${counter.attempts} attempt(s)`);
    assert.equal(counter.attempts, 1, 'a key that does not decrypt is not tried again');
  });
});
