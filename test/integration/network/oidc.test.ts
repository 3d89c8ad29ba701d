/**
 * OIDC client credentials against a broker that validates JWTs itself: this file starts the
 * loopback issuer of kafkats/testing (RS256 token endpoint + JWKS), then its own single node with
 * `startKafka({ oauthbearer })`, whose SASL listeners use Kafka's OAuthBearerValidatorCallbackHandler
 * against the issuer's JWKS (the broker-side KIP-768 path), expected audience `kafka`, and
 * `connections.max.reauth.ms` set, so that a session lasts as long as its token.
 */
import assert from 'node:assert/strict';
import type net from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KafkaJSSASLAuthenticationError } from '../../../src/errors/network.js';
import { Kafka } from '../../../src/kafka.js';
import { type LogEntry, logLevel } from '../../../src/logger.js';
import type { Cluster } from '../../../src/network/cluster.js';
import type { Connection } from '../../../src/network/connection.js';
import { OidcTokenProvider, oidcClientCredentials } from '../../../src/network/sasl/oidc.js';
import { KafkaJSOAuthBearerTokenError } from '../../../src/network/sasl/token-errors.js';
import { Metadata } from '../../../src/protocol/messages/metadata.js';
import {
  type KafkaCluster,
  type OidcIssuer,
  startKafka,
  startOidcIssuer,
} from '../../../src/testing/index.js';

let issuer: OidcIssuer;
let harness: KafkaCluster | undefined;
const clusters: Cluster[] = [];
const closers: Array<() => Promise<void>> = [];

before(async () => {
  issuer = await startOidcIssuer({ audience: 'kafka' });
  const started = Date.now();
  harness = await startKafka({
    oauthbearer: { jwksUrl: issuer.jwksUrl, expectedAudience: 'kafka', expectedIssuer: issuer.issuer },
    brokerProperties: { 'connections.max.reauth.ms': 600_000 },
  });
  console.log(`# JWKS-validating broker up in ${Date.now() - started} ms`);
});

after(async () => {
  for (const c of clusters) await c.disconnect().catch(() => {});
  for (const close of closers) await close().catch(() => {});
  await harness?.stop();
  await issuer?.stop();
});

beforeEach(() => {
  issuer.fault = 'none';
  issuer.lifetimeSeconds = 3600;
});

function client(sasl: ConstructorParameters<typeof Kafka>[0]['sasl'], lines: LogEntry[] = [], retries = 0) {
  return new Kafka({
    clientId: 'oidc-it',
    brokers: harness!.listeners.saslPlaintext,
    sasl,
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => lines.push(entry),
    retry: { retries, initialRetryTime: 100, maxRetryTime: 500 },
    connectionTimeout: 5000,
  });
}

const credentials = (extra: Partial<ConstructorParameters<typeof OidcTokenProvider>[0]> = {}) => ({
  tokenEndpointUrl: issuer.tokenEndpointUrl,
  clientId: issuer.clientId,
  clientSecret: issuer.clientSecret,
  timeoutMs: 2000,
  ...extra,
});

async function failureOf(p: Promise<unknown>): Promise<Error> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof Error, 'expected a failure');
  return error;
}

/** The error itself or the one it wraps (a retrier reports the last failure as its cause). */
function rootOf(error: Error): Error {
  let e: unknown = error;
  while (e instanceof Error && !(e instanceof KafkaJSOAuthBearerTokenError) && e.cause instanceof Error)
    e = e.cause;
  return e as Error;
}

describe('OIDC client credentials against a JWKS-validating broker', () => {
  it('logs in with a fetched token, produces and reads back as that principal', async () => {
    const kafka = client(oidcClientCredentials(credentials({ scope: 'kafka' })));
    const admin = kafka.admin();
    closers.push(() => admin.disconnect());
    await admin.connect();
    const topic = `oidc-${Date.now()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    closers.push(() => producer.disconnect());
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'signed in' }] });
    const offsets = await admin.fetchTopicOffsets(topic);
    assert.equal(offsets[0]?.high, '1');
    assert.ok(issuer.tokenRequests >= 1);
  });

  it('re-authenticates one socket with a fresh token as each short-lived token expires', async () => {
    issuer.lifetimeSeconds = 12;
    const lines: Array<LogEntry & { at: number }> = [];
    const provider = new OidcTokenProvider(credentials({ refresh: { minPeriodMs: 1000, bufferMs: 2000 } }));
    const kafka = new Kafka({
      clientId: 'oidc-reauth',
      brokers: harness!.listeners.saslPlaintext,
      sasl: oidcClientCredentials(provider),
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => lines.push({ ...entry, at: Date.now() }),
    });
    const cluster = kafka.cluster();
    clusters.push(cluster);
    await cluster.connect();
    const nodeId = [...cluster.metadata.brokers.keys()][0]!;
    const connection: Connection = await cluster.connectionTo(nodeId);
    const socket = (connection as unknown as { socket: net.Socket }).socket;
    const first = lines.find((l) => l.log.message === 'SASL authentication succeeded');
    const granted = Number(first?.log.sessionLifetimeMs);
    assert.ok(
      granted > 0 && granted <= 12_000,
      `the broker caps the session at the token's life, got ${granted}`,
    );

    const started = Date.now();
    const failures: unknown[] = [];
    let answered = 0;
    // ~30 s of steady traffic: at least two token lifetimes.
    while (Date.now() - started < 30_000) {
      await connection.send(Metadata, { topics: [] }).then(
        () => answered++,
        (e: unknown) => failures.push(e),
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    const reauths = lines.filter((l) => l.log.message === 'SASL re-authentication succeeded');
    console.log(
      `# ${answered} requests, ${provider.fetches} token fetches, re-authentications at ` +
        reauths.map((l) => `${((l.at - started) / 1000).toFixed(1)} s`).join(', '),
    );
    assert.deepEqual(failures, [], 'no request failed');
    assert.ok(reauths.length >= 2, `${reauths.length} re-authentications in 30 s`);
    assert.ok(provider.fetches >= 3, `a fresh token for each re-authentication, ${provider.fetches} fetches`);
    assert.equal(
      (connection as unknown as { socket: net.Socket }).socket,
      socket,
      'the same socket throughout',
    );
    assert.ok(!socket.destroyed);
  });

  it('rides out an endpoint outage on the current token, then fails re-authentication with a typed retriable error', async () => {
    issuer.lifetimeSeconds = 12;
    const lines: LogEntry[] = [];
    // Replace tokens at half their life, so that a second client authenticating at ~7 s meets the outage.
    const provider = new OidcTokenProvider(
      credentials({ refresh: { windowFactor: 0.5, windowJitter: 0, minPeriodMs: 1000, bufferMs: 0 } }),
    );
    const kafka = new Kafka({
      clientId: 'oidc-outage',
      brokers: harness!.listeners.saslPlaintext,
      sasl: oidcClientCredentials(provider),
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => lines.push(entry),
    });
    const cluster = kafka.cluster();
    clusters.push(cluster);
    await cluster.connect();
    const nodeId = [...cluster.metadata.brokers.keys()][0]!;
    const connection: Connection = await cluster.connectionTo(nodeId);
    const connectedAt = Date.now();
    issuer.fault = 'down';
    const failures: unknown[] = [];
    let answered = 0;
    let secondClient = false;
    while (Date.now() - connectedAt < 25_000 && failures.length === 0) {
      if (!secondClient && Date.now() - connectedAt > 7000) {
        secondClient = true;
        // A new connection while the endpoint is down: it logs in with the cached token.
        const admin = kafka.admin();
        closers.push(() => admin.disconnect());
        await admin.connect();
      }
      await connection.send(Metadata, { topics: [] }).then(
        () => answered++,
        (e: unknown) => failures.push(e),
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    const warned = lines.filter(
      (l) => l.log.message === 'OAuth token refresh failed; using the current token until it expires',
    );
    const reauthFailed = lines.filter(
      (l) => l.log.message === 'Re-authentication failed; closing the connection',
    );
    console.log(
      `# ${answered} answered over ${Date.now() - connectedAt} ms of outage; ${warned.length} refresh warnings; ` +
        `re-authentication failure: ${reauthFailed.map((l) => l.log.error).join(' | ')}`,
    );
    assert.ok(secondClient && answered > 0, 'requests kept working on the current token');
    assert.ok(warned.length >= 1, 'the failed refresh is logged at WARN through the client logger');
    assert.ok(reauthFailed.length >= 1, 'near expiry, re-authentication failed and closed the connection');
    assert.match(String(reauthFailed[0]!.log.error), /Token endpoint .* unreachable/);
    const failure = rootOf(failures[0] as Error);
    assert.ok(failure instanceof KafkaJSOAuthBearerTokenError, `${failure}`);
    assert.equal(failure.code, 'ENDPOINT_UNREACHABLE');
    assert.equal(failure.retriable, true);
    assert.ok(!JSON.stringify(lines).includes(issuer.clientSecret), 'the secret is in no log line');
    // The endpoint comes back: the next connection authenticates with a fresh token.
    issuer.fault = 'none';
    const again = await cluster.connectionTo(nodeId);
    await again.send(Metadata, { topics: [] });
  });

  it('refuses an expired token with a typed error', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Past the broker's 30 s clock-skew allowance.
    const expired = issuer.sign({ iat: now - 600, exp: now - 300 });
    const error = await failureOf(
      client({ mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: expired }) })
        .admin()
        .connect(),
    );
    const root = rootOf(error);
    assert.ok(root instanceof KafkaJSSASLAuthenticationError, `${root.name}: ${root.message}`);
    assert.equal(root.retriable, false);
    assert.equal(root.mechanism, 'OAUTHBEARER');
  });

  it('refuses a token for another audience, and takes the same request for its own', async () => {
    const wrong = client(
      oidcClientCredentials(credentials({ extraParams: { audience: 'not-kafka' } })),
    ).admin();
    const root = rootOf(await failureOf(wrong.connect()));
    assert.ok(root instanceof KafkaJSSASLAuthenticationError, `${root.name}: ${root.message}`);
    // The broker says only invalid_token (RFC 7628); the control below shows the audience is why.
    assert.match(root.message, /invalid_token/);
    const right = client(oidcClientCredentials(credentials({ extraParams: { audience: 'kafka' } }))).admin();
    closers.push(() => right.disconnect());
    await right.connect();
  });

  for (const fault of ['down', 'slow', 'non-json', 'no-exp'] as const) {
    it(`fails the connect with a typed error when the token endpoint is ${fault}, secret in no log line`, async () => {
      issuer.fault = fault;
      const lines: LogEntry[] = [];
      const before = issuer.tokenRequests;
      const admin = client(oidcClientCredentials(credentials({ timeoutMs: 500 })), lines, 2).admin();
      const root = rootOf(await failureOf(admin.connect()));
      assert.ok(root instanceof KafkaJSOAuthBearerTokenError, `${root.name}: ${root.message}`);
      const expected = {
        down: 'ENDPOINT_UNREACHABLE',
        slow: 'ENDPOINT_TIMEOUT',
        'non-json': 'INVALID_RESPONSE',
        'no-exp': 'INVALID_TOKEN',
      };
      assert.equal(root.code, expected[fault]);
      const attempts = issuer.tokenRequests - before;
      if (root.retriable)
        assert.ok(attempts >= 2, `retried per the retry options: ${attempts} token requests`);
      const logged = JSON.stringify(lines);
      assert.ok(!logged.includes(issuer.clientSecret), 'the secret is in no log line');
      assert.ok(!String(root.message).includes(issuer.clientSecret));
    });
  }
});
