import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { KafkaJSConnectionError, KafkaJSRequestTimeoutError } from '../../../src/errors/network.js';
import type { SocketFactory } from '../../../src/network/connection.js';
import { ConnectionPool, type PoolOptions } from '../../../src/network/pool.js';
import type { ApiMessage } from '../../../src/protocol/api.js';
import { ApiVersions } from '../../../src/protocol/messages/api-versions.js';
import { Echo } from './fake-broker.js';
import { apiVersionsAnswer, type FakeKafka, startFakeKafka, waitFor } from './fake-kafka.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

const echo = Echo as ApiMessage<unknown, unknown>;

async function fake(options: { silentApiVersions?: boolean } = {}): Promise<FakeKafka> {
  const apis = [{ api: echo, handle: (body: unknown) => body }];
  const broker = await startFakeKafka(
    options.silentApiVersions
      ? [...apis, { api: ApiVersions as ApiMessage<unknown, unknown>, handle: () => undefined }]
      : apis,
  );
  cleanups.push(() => broker.close());
  return broker;
}

function pool(options: Partial<PoolOptions> = {}): ConnectionPool {
  const p = new ConnectionPool({ ...options, connection: { clientId: 'pool-test', ...options.connection } });
  cleanups.push(() => p.close());
  return p;
}

async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * The backoff waits the pool schedules: the delays src/network/pool.ts hands to setTimeout while
 * the spy is installed. What the pool decided, unlike a wall-clock measurement, does not drift
 * when the machine is loaded (timers firing late), so it can be checked to the millisecond.
 */
function spyBackoffWaits(): { waits: number[]; restore: () => void } {
  const original = globalThis.setTimeout;
  const waits: number[] = [];
  const spy = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    // Frame 0 is this spy; frame 1 its caller, which must be the pool itself (not a connection's
    // timers, which the pool's calls also have on their stacks further down).
    const caller = (new Error().stack ?? '').split('\n')[2] ?? '';
    if (/src[\\/]network[\\/]pool\.ts/.test(caller)) waits.push(ms ?? 0);
    return original(callback, ms, ...args);
  }) as typeof setTimeout;
  globalThis.setTimeout = spy;
  const restore = () => {
    globalThis.setTimeout = original;
  };
  return { waits, restore };
}

/** A socket factory that refuses the first `failures` attempts, then connects to `port`; records attempt times. */
function flakyFactory(
  port: number,
  dead: number,
  failures: number,
): { factory: SocketFactory; attempts: number[] } {
  const attempts: number[] = [];
  const factory: SocketFactory = ({ host, onConnect }) => {
    attempts.push(Date.now());
    return net.connect({ host, port: attempts.length <= failures ? dead : port }, onConnect);
  };
  return { factory, attempts };
}

describe('ConnectionPool', () => {
  it('shares one connect attempt (one socket, one ApiVersions) among concurrent callers', async () => {
    const broker = await fake();
    const p = pool();
    const got = await Promise.all(Array.from({ length: 20 }, () => p.get('127.0.0.1', broker.port)));
    assert.ok(got.every((c) => c === got[0]));
    assert.equal(broker.accepted, 1);
    assert.equal(broker.counts.get('ApiVersions'), 1);
    // purposes are separate connections to the same address
    const fetch = await p.get('127.0.0.1', broker.port, 'fetch');
    assert.notEqual(fetch, got[0]);
    assert.equal(broker.accepted, 2);
    assert.deepEqual((await fetch.send(Echo, { value: 5 })).value, 5);
  });

  it('closes connections idle for connectionsMaxIdleMs, keeps busy ones, and reopens on demand', async () => {
    let hold = false;
    const held: Array<() => void> = [];
    const broker = await startFakeKafka([
      {
        api: echo,
        handle: (body) => (hold ? new Promise((resolve) => held.push(() => resolve(body))) : body),
      },
    ]);
    cleanups.push(() => broker.close());
    const p = pool({ connectionsMaxIdleMs: 150 });
    const idle = await p.get('127.0.0.1', broker.port, 'default');
    const busy = await p.get('127.0.0.1', broker.port, 'fetch');
    hold = true;
    const pending = busy.send(Echo, { value: 1 }, { timeout: 30_000 });
    await waitFor(() => idle.isClosed, 10_000, 'the idle connection to close');
    assert.ok(busy.isConnected, 'a connection with a request in flight is not idle');
    assert.deepEqual(p.connections(), [busy]);
    await waitFor(() => broker.sockets.size === 1, 10_000, 'the broker to see the close');
    // closeIdle() with a clock far ahead still spares the busy connection
    assert.equal(p.closeIdle(Date.now() + 60_000), 0);
    held.shift()!();
    assert.equal((await pending).value, 1);
    hold = false;
    const again = await p.get('127.0.0.1', broker.port, 'default');
    assert.notEqual(again, idle);
    assert.ok(again.isConnected);
    assert.equal(p.closeIdle(Date.now() + 60_000), 2);
  });

  it('after a request timeout, the next request goes over a new connection and a new socket', async () => {
    const served: number[] = [];
    const broker = await startFakeKafka([
      {
        api: echo,
        handle: (body, { connectionIndex }) => {
          served.push(connectionIndex);
          // the first socket goes silent for good (a half-open peer): nothing is ever answered on it
          return connectionIndex === 0 ? undefined : body;
        },
      },
    ]);
    cleanups.push(() => broker.close());
    const p = pool({ connection: { requestTimeout: 150 } });
    const first = await p.get('127.0.0.1', broker.port);
    const error = await first.send(Echo, { value: 1 }).catch((e: unknown) => e);
    assert.ok(error instanceof KafkaJSRequestTimeoutError, String(error));
    assert.ok(first.isClosed, 'the timed-out connection is destroyed');
    await waitFor(() => broker.sockets.size === 0, 10_000, 'the broker to see the first socket closed');
    const second = await p.get('127.0.0.1', broker.port);
    assert.notEqual(second, first);
    assert.equal((await second.send(Echo, { value: 2 })).value, 2);
    assert.equal(broker.accepted, 2);
    assert.deepEqual(served, [0, 1]);
    assert.deepEqual(p.connections(), [second]);
  });

  it('backs off exponentially with jitter between failed connects, and resets after a success', async () => {
    const broker = await fake();
    const dead = await deadPort();
    const { factory, attempts } = flakyFactory(broker.port, dead, 3);
    const p = pool({
      connection: { socketFactory: factory },
      retry: { initialRetryTime: 100, multiplier: 2, factor: 0.2, maxRetryTime: 300 },
    });
    const spy = spyBackoffWaits();
    const failures: number[] = [];
    let connection: Awaited<ReturnType<ConnectionPool['get']>>;
    let afterSuccess: number[];
    try {
      for (let i = 0; i < 3; i++) {
        const error = await p.get('127.0.0.1', broker.port).catch((e: unknown) => e);
        assert.ok(error instanceof KafkaJSConnectionError && error.retriable, String(error));
        failures.push(Date.now());
      }
      connection = await p.get('127.0.0.1', broker.port);
      assert.ok(connection.isConnected);
      // a success resets the backoff: the next connect after a close starts at once
      await connection.close();
      const before = spy.waits.length;
      await p.get('127.0.0.1', broker.port);
      afterSuccess = spy.waits.slice(before);
    } finally {
      spy.restore();
    }
    assert.equal(attempts.length, 5);
    // nominal 100, 200, then 400 capped at 300; each ±20 %, and the cap holds after jitter. The
    // pool schedules the wait in the same tick as the failure, so only a millisecond or two of
    // the delay has passed when it does.
    const bounds: Array<[number, number]> = [
      [80, 120],
      [160, 240],
      [240, 300],
    ];
    assert.equal(spy.waits.length - afterSuccess.length, 3, `scheduled waits ${spy.waits.join(', ')}`);
    for (let i = 0; i < 3; i++) {
      const scheduled = spy.waits[i]!;
      const [low, high] = bounds[i]!;
      assert.ok(
        scheduled >= low - 3 && scheduled <= high,
        `wait ${i + 1}: ${scheduled} ms, expected ${low}–${high}`,
      );
      // and the attempt really waited for it (a timer never fires early)
      const waited = attempts[i + 1]! - failures[i]!;
      assert.ok(
        waited >= scheduled - 2,
        `wait ${i + 1}: attempted after ${waited} ms, scheduled ${scheduled}`,
      );
    }
    assert.deepEqual(afterSuccess, [], 'no backoff after a successful connect');
  });

  it('jitter spreads the waits: two pools failing together do not retry in lockstep', async () => {
    const dead = await deadPort();
    const spy = spyBackoffWaits();
    try {
      for (let i = 0; i < 6; i++) {
        const { factory } = flakyFactory(dead, dead, 99);
        const p = pool({
          connection: { socketFactory: factory },
          retry: { initialRetryTime: 200, factor: 0.2, maxRetryTime: 1000 },
        });
        await p.get('127.0.0.1', dead).catch(() => {});
        await p.get('127.0.0.1', dead).catch(() => {});
      }
    } finally {
      spy.restore();
    }
    const waits = spy.waits;
    assert.equal(waits.length, 6, `waits ${waits.join(', ')}`);
    assert.ok(
      waits.every((w) => w >= 157 && w <= 240),
      `waits ${waits.join(', ')}`,
    );
    assert.ok(new Set(waits).size > 1, `waits ${waits.join(', ')} are all equal`);
  });

  it('a pool closed during the handshake leaves no connection open', async () => {
    const broker = await fake({ silentApiVersions: true });
    const p = pool();
    const getting = p.get('127.0.0.1', broker.port).catch((e: unknown) => e);
    await waitFor(() => broker.counts.get('ApiVersions') === 1, 10_000, 'the handshake to start');
    await p.close();
    const error = await getting;
    assert.ok(error instanceof KafkaJSConnectionError, String(error));
    await waitFor(() => broker.sockets.size === 0, 10_000, 'the socket to close');
    assert.deepEqual(p.connections(), []);
  });

  it('a pool closed while the socket is still connecting destroys it at once', async () => {
    const broker = await fake();
    let made: net.Socket | undefined;
    let connected: (() => void) | undefined;
    // the socket connects, but the factory reports it late (as a slow TLS handshake would)
    const factory: SocketFactory = ({ host, port, onConnect }) => {
      made = net.connect({ host, port });
      connected = onConnect;
      return made;
    };
    const p = pool({ connection: { socketFactory: factory, connectionTimeout: 60_000 } });
    const started = Date.now();
    const getting = p.get('127.0.0.1', broker.port).catch((e: unknown) => e);
    await waitFor(() => broker.sockets.size === 1, 10_000, 'the socket to reach the broker');
    await p.close();
    const error = await getting;
    assert.ok(error instanceof KafkaJSConnectionError, String(error));
    assert.ok(Date.now() - started < 30_000, 'the attempt ended with the close, not the connect timeout');
    assert.ok(made!.destroyed);
    connected!(); // a late onConnect must not revive anything
    await waitFor(() => broker.sockets.size === 0, 10_000, 'the broker to see the close');
    assert.equal(broker.counts.get('ApiVersions') ?? 0, 0);
  });

  it('a pool closed during a connect backoff never opens the connection it was waiting for', async () => {
    const broker = await fake();
    const dead = await deadPort();
    const { factory, attempts } = flakyFactory(broker.port, dead, 1);
    // A backoff long enough that "woken by the close" and "waited it out" stay apart under load.
    const BACKOFF = 3_000;
    const p = pool({
      connection: { socketFactory: factory },
      retry: { initialRetryTime: BACKOFF, factor: 0, maxRetryTime: BACKOFF },
    });
    await p.get('127.0.0.1', broker.port).catch(() => {});
    const waiting = p.get('127.0.0.1', broker.port).catch((e: unknown) => e);
    const closedAt = Date.now();
    await p.close();
    const error = await waiting;
    assert.ok(Date.now() - closedAt < BACKOFF / 2, 'the backoff wait ends with the close');
    assert.ok(error instanceof KafkaJSConnectionError, String(error));
    assert.equal(error.retriable, false, 'the pool is gone: retrying cannot help');
    // Past the moment the backoff would have ended: still no second attempt.
    await new Promise((r) => setTimeout(r, BACKOFF + 500));
    assert.equal(attempts.length, 1);
    assert.equal(broker.accepted, 0);
    await assert.rejects(p.get('127.0.0.1', broker.port), /pool is closed/);
  });

  it('a pool closed just as the handshake answer arrives closes the fresh connection', async () => {
    let answer: (() => void) | undefined;
    const versions = apiVersionsAnswer([echo]);
    const broker = await startFakeKafka([
      { api: echo, handle: (body) => body },
      {
        api: ApiVersions as ApiMessage<unknown, unknown>,
        handle: () => new Promise((resolve) => (answer = () => resolve(versions))),
      },
    ]);
    cleanups.push(() => broker.close());
    const p = pool();
    const getting = p.get('127.0.0.1', broker.port).catch((e: unknown) => e);
    await waitFor(() => answer !== undefined, 10_000, 'the ApiVersions request');
    answer!();
    await new Promise((r) => setImmediate(r));
    await p.close();
    const result = await getting;
    // either the close won (an error) or the connect did (then close() must have closed it)
    if (!(result instanceof Error)) assert.ok((result as { isClosed: boolean }).isClosed);
    await waitFor(() => broker.sockets.size === 0, 10_000, 'the socket to close');
  });
});
