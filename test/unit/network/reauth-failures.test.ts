import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  KafkaJSConnectionClosedError,
  KafkaJSConnectionError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
} from '../../../src/errors/network.js';
import { ConnectionPool, type PoolOptions } from '../../../src/network/pool.js';
import type { ApiMessage } from '../../../src/protocol/api.js';
import { Codes } from '../../../src/protocol/codes.js';
import { SaslAuthenticate } from '../../../src/protocol/messages/sasl-authenticate.js';
import { SaslHandshake } from '../../../src/protocol/messages/sasl-handshake.js';
import { Echo, type EchoBody } from './fake-broker.js';
import { type FakeKafka, startFakeKafka, waitFor } from './fake-kafka.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

/**
 * With a threshold of 900 ms a 2 s session is re-authenticated after exactly 1.1 s (the threshold
 * applies when the session is longer than twice it; see reauthenticationDelay). The 900 ms between
 * "re-authentication due" and "session over" is the slack a test's sleep has on a loaded machine
 * (unit files run in parallel): a timer firing a few hundred ms late must not change the outcome.
 */
const SESSION_MS = 2_000;
const THRESHOLD_MS = 900;
const REAUTH_AT_MS = SESSION_MS - THRESHOLD_MS;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type AuthBehaviour = 'ok' | 'silent' | 'refuse' | 'drop';

/**
 * A SASL PLAIN fake granting SESSION_MS sessions. `reauth` decides how the broker answers the
 * SaslAuthenticate of a re-authentication (the second one on a connection); first logins always
 * succeed. Echo with a negative value is never answered. `log` lists every request per connection.
 */
async function saslFake(reauth: AuthBehaviour): Promise<{ broker: FakeKafka; log: Map<number, string[]> }> {
  const log = new Map<number, string[]>();
  const record = (index: number, what: string) => {
    const l = log.get(index) ?? [];
    l.push(what);
    log.set(index, l);
    return l;
  };
  const broker = await startFakeKafka([
    {
      api: SaslHandshake as ApiMessage<unknown, unknown>,
      handle: (_b, { connectionIndex }) => {
        record(connectionIndex, 'SaslHandshake');
        return { errorCode: 0, mechanisms: ['PLAIN'] };
      },
    },
    {
      api: SaslAuthenticate as ApiMessage<unknown, unknown>,
      handle: (_b, { connectionIndex, socket }) => {
        const l = record(connectionIndex, 'SaslAuthenticate');
        const first = l.filter((x) => x === 'SaslAuthenticate').length === 1;
        const how = first ? 'ok' : reauth;
        if (how === 'silent') return undefined;
        if (how === 'drop') {
          setTimeout(() => socket.destroy(), 50);
          return undefined;
        }
        return new Promise((resolve) =>
          setTimeout(
            () =>
              resolve(
                how === 'ok'
                  ? {
                      errorCode: 0,
                      errorMessage: null,
                      authBytes: Buffer.alloc(0),
                      sessionLifetimeMs: BigInt(SESSION_MS),
                    }
                  : {
                      errorCode: Codes.SASL_AUTHENTICATION_FAILED,
                      errorMessage: 'Authentication failed: Invalid username or password',
                      authBytes: Buffer.alloc(0),
                      sessionLifetimeMs: 0n,
                    },
              ),
            50,
          ),
        );
      },
    },
    {
      api: Echo as ApiMessage<unknown, unknown>,
      handle: (body, { connectionIndex }) => {
        const value = (body as EchoBody).value;
        record(connectionIndex, `Echo ${value}`);
        return value < 0 ? undefined : body;
      },
    },
  ]);
  cleanups.push(() => broker.close());
  return { broker, log };
}

function pool(overrides: Partial<PoolOptions['connection']> = {}, poolOptions: Partial<PoolOptions> = {}) {
  const p = new ConnectionPool({
    connection: {
      clientId: 'reauth-failures',
      sasl: { mechanism: 'plain', username: 'alice', password: 'secret' },
      reauthenticationThreshold: THRESHOLD_MS,
      authenticationTimeout: 500,
      // far from authenticationTimeout, so the bounds below tell the two apart even when slow
      requestTimeout: 30_000,
      ...overrides,
    },
    ...poolOptions,
  });
  cleanups.push(() => p.close());
  return p;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

function assertRetriableTimeout(error: unknown): void {
  assert.ok(!(error instanceof KafkaJSRequestTimeoutError), `a request timeout: ${String(error)}`);
  assert.ok(error instanceof KafkaJSConnectionError, String(error));
  assert.equal(error.code, 'AUTHENTICATION_TIMEOUT');
  assert.equal(error.retriable, true);
}

describe('SASL re-authentication failures', () => {
  it('a re-authentication the broker stops answering is bounded by authenticationTimeout', async () => {
    const { broker, log } = await saslFake('silent');
    const p = pool();
    const connection = await p.get('127.0.0.1', broker.port);
    await sleep(REAUTH_AT_MS + 50);
    const startedAt = Date.now();
    const error = await rejection(connection.send(Echo, { value: 1 }));
    const elapsed = Date.now() - startedAt;
    assertRetriableTimeout(error);
    assert.ok(elapsed < 15_000, `failed after ${elapsed} ms, not within authenticationTimeout`);
    assert.ok(connection.isClosed);
    assert.ok(!log.get(0)?.includes('Echo 1'), 'the queued request was never written');
    // the pool reconnects
    const next = await p.get('127.0.0.1', broker.port);
    assert.notEqual(next, connection);
    assert.deepEqual(await next.send(Echo, { value: 2 }), { value: 2 });
    assert.equal(broker.accepted, 2);
  });

  it('waiting for in-flight requests before re-authenticating is bounded too', async () => {
    const { broker } = await saslFake('ok');
    const p = pool();
    const connection = await p.get('127.0.0.1', broker.port);
    const startedAt = Date.now();
    // never answered: it holds the re-authentication that falls due at REAUTH_AT_MS
    const stuck = rejection(connection.send(Echo, { value: -1 }));
    await sleep(REAUTH_AT_MS + 50);
    const queued = rejection(connection.send(Echo, { value: 3 }));
    const [e1, e2] = await Promise.all([stuck, queued]);
    const elapsed = Date.now() - startedAt;
    assertRetriableTimeout(e1);
    assertRetriableTimeout(e2);
    assert.ok(elapsed < 15_000, `failed after ${elapsed} ms (requestTimeout is 30000)`);
    assert.ok(connection.isClosed);
  });

  it('an idle connection does not re-authenticate forever: it is closed when its session ends', async () => {
    const { broker } = await saslFake('ok');
    // the idle limit is longer than the session, so before the fix re-authentication (counted as
    // activity) kept the connection open for ever
    const p = pool({}, { connectionsMaxIdleMs: 1.5 * SESSION_MS });
    const connection = await p.get('127.0.0.1', broker.port);
    const activity = connection.lastActivity;
    await sleep(4 * SESSION_MS);
    assert.equal(broker.counts.get('SaslAuthenticate'), 1, 'no re-authentication while idle');
    assert.equal(connection.lastActivity, activity, 'handshake traffic is not activity');
    assert.ok(connection.isClosed, 'closed');
    assert.equal(p.connections().length, 0);
  });

  it('re-authentication that fell due while idle runs before the next request', async () => {
    const { broker, log } = await saslFake('ok');
    const p = pool({}, { connectionsMaxIdleMs: 60_000 });
    const connection = await p.get('127.0.0.1', broker.port);
    await sleep(REAUTH_AT_MS + 50);
    assert.equal(broker.counts.get('SaslAuthenticate'), 1, 'lazy: nothing happens until a request');
    assert.deepEqual(await connection.send(Echo, { value: 7 }), { value: 7 });
    assert.deepEqual(log.get(0), [
      'SaslHandshake',
      'SaslAuthenticate',
      'SaslHandshake',
      'SaslAuthenticate',
      'Echo 7',
    ]);
    assert.ok(connection.isConnected);
    // the new session is re-armed: idle again, it is closed at its end
    await waitFor(() => connection.isClosed, 5 * SESSION_MS, 'the idle connection to close');
  });

  it('a connection used in its session re-authenticates when due, even with nothing in flight then', async () => {
    const { broker, log } = await saslFake('ok');
    const p = pool({}, { connectionsMaxIdleMs: 60_000 });
    const connection = await p.get('127.0.0.1', broker.port);
    assert.deepEqual(await connection.send(Echo, { value: 1 }), { value: 1 });
    // idle at the instant it falls due, but used in this session: renewed at once, not deferred to
    // a next request that could arrive after the session ended
    await waitFor(() => broker.counts.get('SaslAuthenticate') === 2, SESSION_MS, 'the re-authentication');
    assert.deepEqual(log.get(0), [
      'SaslHandshake',
      'SaslAuthenticate',
      'Echo 1',
      'SaslHandshake',
      'SaslAuthenticate',
    ]);
    await sleep(SESSION_MS - REAUTH_AT_MS + 100);
    assert.ok(connection.isConnected, 'open past the end of its first session');
    // the renewed session carries nothing: it is not renewed again, and the connection closes at its end
    await waitFor(() => connection.isClosed, 3 * SESSION_MS, 'the unused connection to close');
    assert.equal(broker.counts.get('SaslAuthenticate'), 2);
  });

  it('a refused re-authentication fails queued requests (non-retriable) and never writes them', async () => {
    const { broker, log } = await saslFake('refuse');
    const p = pool();
    const connection = await p.get('127.0.0.1', broker.port);
    await sleep(REAUTH_AT_MS + 50);
    const errors = await Promise.all([1, 2, 3].map((value) => rejection(connection.send(Echo, { value }))));
    for (const error of errors) {
      assert.ok(error instanceof KafkaJSSASLAuthenticationError, String(error));
      assert.equal(error.retriable, false);
    }
    assert.ok(connection.isClosed);
    // a request made later on the closed connection says why it closed
    const later = await rejection(connection.send(Echo, { value: 4 }));
    assert.ok(later instanceof KafkaJSConnectionClosedError, String(later));
    assert.ok(later.cause instanceof KafkaJSSASLAuthenticationError, String(later.cause));
    await sleep(200); // time for anything written after the refusal to reach the broker
    assert.deepEqual(log.get(0), ['SaslHandshake', 'SaslAuthenticate', 'SaslHandshake', 'SaslAuthenticate']);
  });

  it('a re-authentication cut by the network fails queued requests retriably, never writing them', async () => {
    const { broker, log } = await saslFake('drop');
    const p = pool();
    const connection = await p.get('127.0.0.1', broker.port);
    await sleep(REAUTH_AT_MS + 50);
    const errors = await Promise.all([1, 2].map((value) => rejection(connection.send(Echo, { value }))));
    for (const error of errors) {
      assert.ok(error instanceof KafkaJSConnectionError, String(error));
      assert.equal(error.retriable, true);
    }
    assert.ok(connection.isClosed);
    assert.deepEqual(log.get(0), ['SaslHandshake', 'SaslAuthenticate', 'SaslHandshake', 'SaslAuthenticate']);
  });
});
