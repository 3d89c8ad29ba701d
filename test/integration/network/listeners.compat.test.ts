import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KafkaJSConnectionError, KafkaJSSASLAuthenticationError } from '../../../src/errors/network.js';
import { Kafka, type KafkaConfig } from '../../../src/kafka.js';
import { type LogEntry, logLevel } from '../../../src/logger.js';
import type { Cluster } from '../../../src/network/cluster.js';
import type { PlainSaslOptions, ScramSaslOptions } from '../../../src/network/sasl/types.js';
import { testCluster } from '../../helpers/cluster.js';

type ScramOrPlain = PlainSaslOptions | ScramSaslOptions;
const info = testCluster();
const clusters: Cluster[] = [];
after(async () => {
  for (const c of clusters) await c.disconnect();
});

function unsignedJwt(sub: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none' })}.${b64({ sub, iat: now, exp: now + 3600, scope: 'kafka' })}.`;
}

async function connectWith(config: Omit<KafkaConfig, 'clientId'>): Promise<Cluster> {
  const cluster = new Kafka({ clientId: 'network-it', logLevel: logLevel.NOTHING, ...config }).cluster();
  clusters.push(cluster);
  await cluster.connect();
  return cluster;
}

const admin = info.users.find((u) => u.username === 'admin');
const tls = { ca: info.tls.ca, servername: 'localhost' };
const skipSecure = info.listeners.ssl.length === 0 ? 'no TLS/SASL listeners on this cluster' : false;

describe('listeners', () => {
  it('PLAINTEXT: loads metadata (brokers, controller, cluster id)', async () => {
    const cluster = await connectWith({ brokers: info.listeners.plaintext });
    assert.ok(cluster.metadata.brokers.size >= 1);
    assert.ok(cluster.metadata.clusterId);
  });

  it('SSL with the harness CA', { skip: skipSecure }, async () => {
    const cluster = await connectWith({ brokers: info.listeners.ssl, ssl: tls });
    assert.ok(cluster.metadata.brokers.size >= 1);
  });

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    it(`SASL_PLAINTEXT with ${mechanism}`, { skip: skipSecure }, async () => {
      const cluster = await connectWith({
        brokers: info.listeners.saslPlaintext,
        sasl: { mechanism, username: admin!.username, password: async () => admin!.password } as ScramOrPlain,
      });
      assert.ok(cluster.metadata.brokers.size >= 1);
    });
  }

  it('SASL_PLAINTEXT with OAUTHBEARER (unsecured JWS)', { skip: skipSecure }, async () => {
    const cluster = await connectWith({
      brokers: info.listeners.saslPlaintext,
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: unsignedJwt('admin') }) },
    });
    assert.ok(cluster.metadata.brokers.size >= 1);
  });

  it('SASL_SSL with SCRAM-SHA-512', { skip: skipSecure }, async () => {
    const cluster = await connectWith({
      brokers: info.listeners.saslSsl,
      ssl: tls,
      sasl: { mechanism: 'scram-sha-512', username: admin!.username, password: admin!.password },
    });
    assert.ok(cluster.metadata.brokers.size >= 1);
  });

  it('a wrong password fails fast with a typed error, no retry storm, and no secret anywhere', {
    skip: skipSecure,
  }, async () => {
    const secret = 'wrong-Pa55word-that-must-not-leak';
    const lines: string[] = [];
    let attempts = 0;
    const kafka = new Kafka({
      clientId: 'network-it',
      brokers: info.listeners.saslPlaintext,
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry: LogEntry) => lines.push(JSON.stringify(entry)),
      sasl: { mechanism: 'scram-sha-256', username: admin!.username, password: secret },
    });
    kafka.instrumentation.on('network.connect', () => attempts++);
    const cluster = kafka.cluster();
    clusters.push(cluster);
    const started = Date.now();
    const error = await cluster.connect().catch((e: unknown) => e);
    assert.ok(error instanceof KafkaJSSASLAuthenticationError, String(error));
    assert.equal(error.retriable, false);
    assert.ok(Date.now() - started < 5000);
    assert.equal(attempts, 1);
    const everything = [
      ...lines,
      error.message,
      String(error.stack),
      JSON.stringify(kafka.describeConfig()),
    ].join('\n');
    assert.ok(!everything.includes(secret));
  });

  it('a wrong CA fails with a non-retriable TLS error', { skip: skipSecure }, async () => {
    const error = await connectWith({ brokers: info.listeners.ssl, ssl: { rejectUnauthorized: true } }).catch(
      (e: unknown) => e,
    );
    // the cluster wraps the last connect error when no broker could be reached; find the TLS one
    const tlsError = error instanceof KafkaJSConnectionError ? error : (error as Error).cause;
    assert.ok(tlsError instanceof KafkaJSConnectionError, String(error));
    assert.equal(tlsError.retriable, false);
    assert.ok(tlsError.code, 'the Node TLS code is kept');
  });
});
