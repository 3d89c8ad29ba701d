/**
 * SASL re-authentication (KIP-368) against a real broker. This file starts (and stops) its own
 * single node with `connections.max.reauth.ms=5000`, so every SASL session the broker grants ends
 * after 5 s and a request on an expired session closes the connection.
 *
 * - SCRAM-SHA-512 and PLAIN: one connection kept busy for ~12 s (Metadata and ApiVersions every
 *   ~100 ms) re-authenticates at least twice, on the same socket, with no failed request.
 * - Idle: a re-authentication that falls due on an unused connection waits for the next request
 *   (which then goes out on the same socket); a connection unused for a whole session is closed by
 *   the client when it ends, with nothing logged at WARN/ERROR.
 * - The control: the same client code with re-authentication left out (authenticate once, no
 *   timer) is disconnected by the broker when it sends a request after the session ended. Without
 *   it, a passing busy test could just mean the broker does not enforce the lifetime.
 */
import assert from 'node:assert/strict';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KafkaJSConnectionClosedError, KafkaJSRequestTimeoutError } from '../../../src/errors/network.js';
import { Kafka } from '../../../src/kafka.js';
import { type LogEntry, logLevel } from '../../../src/logger.js';
import type { Cluster } from '../../../src/network/cluster.js';
import { Connection } from '../../../src/network/connection.js';
import { authenticate, negotiateApiVersions } from '../../../src/network/handshake.js';
import type { PlainSaslOptions, ScramSaslOptions } from '../../../src/network/sasl/types.js';
import { ApiVersions } from '../../../src/protocol/messages/api-versions.js';
import { Metadata } from '../../../src/protocol/messages/metadata.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';

const SESSION_MS = 5000;
const BUSY_MS = 12_000;
const INTERVAL_MS = 100;

let harness: KafkaCluster | undefined;
const clusters: Cluster[] = [];
const connections: Connection[] = [];

before(async () => {
  const started = Date.now();
  harness = await startKafka({ brokerProperties: { 'connections.max.reauth.ms': SESSION_MS } });
  console.log(`# single node with connections.max.reauth.ms=${SESSION_MS} up in ${Date.now() - started} ms`);
});

after(async () => {
  for (const c of clusters) await c.disconnect().catch(() => {});
  for (const c of connections) await c.close().catch(() => {});
  await harness?.stop();
});

function user(): { username: string; password: string } {
  const u = harness!.users.find(
    (x) => x.mechanisms.includes('SCRAM-SHA-512') && x.mechanisms.includes('PLAIN'),
  );
  assert.ok(u, 'the harness has a PLAIN + SCRAM user');
  return u;
}

function saslAddress(): { host: string; port: number } {
  const address = harness!.listeners.saslPlaintext[0];
  assert.ok(address, 'the harness has a SASL_PLAINTEXT listener');
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/** The connection's socket: the same object before and after means the TCP connection was never replaced. */
function socketOf(connection: Connection): net.Socket {
  return (connection as unknown as { socket: net.Socket }).socket;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function busyConnectionReauthenticates(sasl: PlainSaslOptions | ScramSaslOptions): Promise<void> {
  const lines: Array<LogEntry & { at: number }> = [];
  const kafka = new Kafka({
    clientId: 'reauth-it',
    brokers: harness!.listeners.saslPlaintext,
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => lines.push({ ...entry, at: Date.now() }),
    sasl,
  });
  let connects = 0;
  let disconnects = 0;
  kafka.instrumentation.on('network.connect', () => connects++);
  kafka.instrumentation.on('network.disconnect', () => disconnects++);
  const cluster = kafka.cluster();
  clusters.push(cluster);
  await cluster.connect();
  const nodeId = [...cluster.metadata.brokers.keys()][0]!;
  const connection = await cluster.connectionTo(nodeId);
  const socket = socketOf(connection);
  const localPort = socket.localPort;
  const connectsBefore = connects;
  const firstAuth = lines.find((l) => l.log.message === 'SASL authentication succeeded');
  assert.equal(firstAuth?.log.sessionLifetimeMs, SESSION_MS, 'the broker grants a 5 s session');

  const started = Date.now();
  const failures: unknown[] = [];
  let answered = 0;
  let slowest = 0;
  const pending: Promise<void>[] = [];
  const timed = <T>(p: Promise<T>, ok: (r: T) => boolean): Promise<void> => {
    const sentAt = Date.now();
    return p.then(
      (r) => {
        slowest = Math.max(slowest, Date.now() - sentAt);
        if (ok(r)) answered++;
        else
          failures.push(
            new Error(`bad answer: ${JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`),
          );
      },
      (e: unknown) => void failures.push(e),
    );
  };
  let tick = 0;
  while (Date.now() - started < BUSY_MS) {
    // fire and move on: requests made during a re-authentication queue up behind it
    pending.push(
      tick++ % 2 === 0
        ? timed(connection.send(Metadata, { topics: [] }), (r) => r.brokers.length === 1)
        : timed(
            connection.send(ApiVersions, { clientSoftwareName: 'kafkats', clientSoftwareVersion: '0.1.0' }),
            (r) => r.errorCode === 0,
          ),
    );
    await sleep(INTERVAL_MS);
  }
  await Promise.all(pending);
  const elapsed = Date.now() - started;

  const reauths = lines.filter((l) => l.log.message === 'SASL re-authentication succeeded');
  const errors = lines.filter((l) => l.level === logLevel.ERROR || l.level === logLevel.WARN);
  console.log(
    `# ${sasl.mechanism}: ${answered}/${pending.length} answered in ${elapsed} ms (slowest ${slowest} ms); ` +
      `re-authentications at ${reauths.map((l) => `${((l.at - started) / 1000).toFixed(2)} s`).join(', ')}`,
  );
  assert.deepEqual(failures, [], 'no request failed');
  assert.deepEqual(
    errors.map((l) => l.log.message),
    [],
    'nothing logged at WARN or ERROR',
  );
  assert.equal(answered, pending.length);
  assert.ok(pending.length >= 100, `only ${pending.length} requests in ${elapsed} ms`);
  assert.ok(reauths.length >= 2, `${reauths.length} re-authentications in ${elapsed} ms`);
  // the counter lives in the connection's handshake: 1, 2, 3… means one connection did them all
  assert.deepEqual(
    reauths.map((l) => l.log.reauthentications),
    reauths.map((_, i) => i + 1),
  );
  for (const l of reauths) {
    assert.equal(l.log.sessionLifetimeMs, SESSION_MS);
    assert.equal(String(l.log.mechanism).toLowerCase(), sasl.mechanism.toLowerCase());
  }
  // the same connection on the same socket: no reconnect, nothing closed
  assert.equal(connects, connectsBefore, 'no new connection was opened');
  assert.equal(disconnects, 0, 'no connection was closed');
  assert.ok(connection.isConnected);
  assert.equal(await cluster.connectionTo(nodeId), connection);
  assert.equal(socketOf(connection), socket);
  assert.equal(socket.destroyed, false);
  assert.equal(socket.localPort, localPort);
  assert.equal(
    lines.filter((l) => l.log.message === 'Connected').length,
    connects,
    'one "Connected" line per connection event',
  );
}

describe('SASL re-authentication against a broker with connections.max.reauth.ms=5000', () => {
  it('SCRAM-SHA-512: a busy connection re-authenticates at least twice in 12 s, same socket, no failure', async () => {
    const u = user();
    await busyConnectionReauthenticates({
      mechanism: 'scram-sha-512',
      username: u.username,
      password: u.password,
    });
  });

  it('PLAIN: a busy connection re-authenticates at least twice in 12 s, same socket, no failure', async () => {
    const u = user();
    await busyConnectionReauthenticates({ mechanism: 'plain', username: u.username, password: u.password });
  });

  it('control: without re-authentication, a request after the session ended gets the connection closed', async () => {
    const u = user();
    const { host, port } = saslAddress();
    let lifetime = -1;
    // what the pool's handshake does, minus scheduling the re-authentication
    const connection = new Connection({
      host,
      port,
      clientId: 'reauth-it-control',
      requestTimeout: 20_000,
      initialize: async (c) => {
        await negotiateApiVersions(c);
        const result = await authenticate(c, {
          sasl: { mechanism: 'scram-sha-512', username: u.username, password: u.password },
        });
        lifetime = result.sessionLifetimeMs;
      },
    });
    connections.push(connection);
    await connection.connect();
    assert.equal(lifetime, SESSION_MS);
    const metadata = await connection.send(Metadata, { topics: [] });
    assert.equal(metadata.brokers.length, 1, 'within the session the broker answers');
    await sleep(SESSION_MS + 1500);
    assert.ok(connection.isConnected, 'the broker does not close an idle expired session by itself');
    const sentAt = Date.now();
    const error = await connection.send(Metadata, { topics: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const after = Date.now() - sentAt;
    console.log(`# control: request on an expired session failed after ${after} ms: ${String(error)}`);
    assert.ok(
      error instanceof KafkaJSConnectionClosedError,
      `expected a closed connection, got ${String(error)}`,
    );
    assert.ok(!(error instanceof KafkaJSRequestTimeoutError));
    assert.ok(after < 5000, `closed after ${after} ms`);
    assert.ok(connection.isClosed);
  });

  it('idle: re-authentication waits for the next request; a used session is renewed once, an unused one ends with the connection', async () => {
    const u = user();
    const lines: LogEntry[] = [];
    const kafka = new Kafka({
      clientId: 'reauth-it-idle',
      brokers: harness!.listeners.saslPlaintext,
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => lines.push(entry),
      sasl: { mechanism: 'scram-sha-512', username: u.username, password: u.password },
    });
    let disconnects = 0;
    kafka.instrumentation.on('network.disconnect', () => disconnects++);
    const cluster = kafka.cluster();
    clusters.push(cluster);
    await cluster.connect();
    const nodeId = [...cluster.metadata.brokers.keys()][0]!;
    const connection = await cluster.connectionTo(nodeId);
    const socket = socketOf(connection);
    const reauths = () => lines.filter((l) => l.log.message === 'SASL re-authentication succeeded').length;
    // connect() used this connection's first session (Metadata), so that session is renewed when due
    let started = Date.now();
    while (reauths() === 0) {
      assert.ok(Date.now() - started < SESSION_MS, 'the used session was renewed within the session');
      await sleep(10);
    }
    assert.equal(socketOf(connection), socket);
    // the renewed session is left unused until its re-authentication falls due: deferred, not run
    const due = () => (connection as unknown as { pendingReauth: unknown }).pendingReauth !== undefined;
    started = Date.now();
    while (!due()) {
      assert.ok(Date.now() - started < SESSION_MS, 'the re-authentication fell due within the session');
      await sleep(10);
    }
    assert.equal(reauths(), 1, 'an unused session is not renewed by itself');
    // the next request re-authenticates first, then goes out on the same socket
    const metadata = await connection.send(Metadata, { topics: [] });
    assert.equal(metadata.brokers.length, 1);
    assert.equal(reauths(), 2);
    assert.equal(socketOf(connection), socket);
    // that request used the new session, so it is renewed once when due; the renewed session is
    // left unused and ends with the client closing the connection (no further re-authentication, no error)
    await sleep(2 * SESSION_MS + 1000);
    assert.equal(reauths(), 3);
    assert.equal(socketOf(connection), socket);
    assert.ok(connection.isClosed, 'closed when its unused session ended');
    assert.equal(disconnects, 1);
    const errors = lines.filter((l) => l.level === logLevel.ERROR || l.level === logLevel.WARN);
    assert.deepEqual(
      errors.map((l) => l.log.message),
      [],
    );
    // and the next use opens a new, authenticated connection
    const next = await cluster.connectionTo(nodeId);
    assert.notEqual(next, connection);
    assert.equal((await next.send(Metadata, { topics: [] })).brokers.length, 1);
  });
});
