import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { KafkaProtocolError } from '../../../src/errors/base.js';
import {
  KafkaJSConnectionClosedError,
  KafkaJSConnectionError,
  KafkaJSRequestTimeoutError,
  KafkaJSUnsupportedVersion,
} from '../../../src/errors/network.js';
import { InstrumentationEmitter } from '../../../src/instrumentation/events.js';
import { Connection } from '../../../src/network/connection.js';
import { answer, Echo, type ReceivedRequest, startFakeBroker } from './fake-broker.js';
import { waitFor } from './fake-kafka.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function setup(
  onRequest: (req: ReceivedRequest) => void,
  options: Partial<ConstructorParameters<typeof Connection>[0]> = {},
) {
  const broker = await startFakeBroker(onRequest);
  const connection = new Connection({ host: '127.0.0.1', port: broker.port, clientId: 'test', ...options });
  cleanups.push(async () => {
    await connection.close();
    await broker.close();
  });
  await connection.connect();
  return { broker, connection };
}

describe('Connection', () => {
  it('pipelines 1,000 requests and matches answers by correlation id, even out of order', async () => {
    const held: ReceivedRequest[] = [];
    const { connection } = await setup((req) => {
      held.push(req);
      if (held.length === 1000) {
        // answer in reverse order: matching must go by correlation id, not position
        for (const r of held.reverse()) answer(r.socket, r.correlationId, r.value * 2);
      }
    });
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => connection.send(Echo, { value: i })),
    );
    assert.deepEqual(
      results.map((r) => r.value),
      Array.from({ length: 1000 }, (_, i) => i * 2),
    );
    assert.equal(held[0]!.clientId, 'test');
  });

  it('respects maxInFlightRequests: the rest wait in the queue', async () => {
    const seen: ReceivedRequest[] = [];
    const { connection } = await setup((req) => seen.push(req), { maxInFlightRequests: 2 });
    const promises = [1, 2, 3, 4].map((value) => connection.send(Echo, { value }));
    await waitFor(() => seen.length === 2, 10_000, 'the first two requests at the broker');
    assert.equal(connection.inFlightCount, 2);
    assert.equal(connection.queueSize, 2, 'the other two wait, unwritten');
    answer(seen[0]!.socket, seen[0]!.correlationId, 1);
    await waitFor(() => seen.length === 3, 10_000, 'the third request once a slot freed');
    assert.equal(connection.queueSize, 1, 'the fourth still waits');
    for (const r of seen.slice(1)) answer(r.socket, r.correlationId, r.value);
    await waitFor(() => seen.length === 4, 10_000, 'the fourth request');
    answer(seen[3]!.socket, seen[3]!.correlationId, 4);
    assert.deepEqual(
      (await Promise.all(promises)).map((r) => r.value),
      [1, 2, 3, 4],
    );
  });

  it('times out one request, fails the others retriably and destroys the connection', async () => {
    const seen: ReceivedRequest[] = [];
    const events = new InstrumentationEmitter();
    const timeouts: Array<Record<string, unknown>> = [];
    const disconnects: unknown[] = [];
    events.on('network.request_timeout', (e) =>
      timeouts.push(e.payload as unknown as Record<string, unknown>),
    );
    events.on('network.disconnect', (e) => disconnects.push(e.payload));
    const { broker, connection } = await setup((req) => seen.push(req), {
      requestTimeout: 100,
      instrumentation: events,
    });
    const started = Date.now();
    // value 1 times out; value 2 (its own, longer timeout) is still pending on the same socket
    const first = connection.send(Echo, { value: 1 }).catch((e: unknown) => e);
    const second = connection.send(Echo, { value: 2 }, { timeout: 30_000 }).catch((e: unknown) => e);
    const err = await first;
    assert.ok(err instanceof KafkaJSRequestTimeoutError, String(err));
    assert.equal(err.retriable, true);
    assert.equal(err.correlationId, seen[0]!.correlationId);
    assert.ok(Date.now() - started >= 95);
    const other = await second;
    assert.ok(other instanceof KafkaJSConnectionError, String(other));
    assert.ok(!(other instanceof KafkaJSRequestTimeoutError));
    assert.equal(other.code, 'REQUEST_TIMEOUT');
    assert.equal(other.retriable, true);
    assert.ok(Date.now() - started < 15_000, 'the other request failed with the timeout, not its own');
    assert.ok(connection.isClosed);
    assert.equal(timeouts.length, 1);
    assert.equal(timeouts[0]!.apiName, 'Echo');
    assert.equal(timeouts[0]!.correlationId, seen[0]!.correlationId);
    assert.equal(disconnects.length, 1);
    await waitFor(() => broker.sockets.size === 0, 10_000, 'the broker to see the socket closed');
    // a late answer has no socket to arrive on; the connection refuses new requests
    await assert.rejects(connection.send(Echo, { value: 3 }), KafkaJSConnectionClosedError);
  });

  it('a per-send timeout replaces requestTimeout (a long poll), and enforceRequestTimeout: false disables it', async () => {
    const slow = (req: ReceivedRequest) =>
      setTimeout(() => answer(req.socket, req.correlationId, req.value), 250);
    const { connection } = await setup(slow, { requestTimeout: 100 });
    assert.equal((await connection.send(Echo, { value: 1 }, { timeout: 10_000 })).value, 1);
    assert.ok(connection.isConnected);
    const { connection: unbounded } = await setup(slow, { requestTimeout: 50, enforceRequestTimeout: false });
    const both = await Promise.all([
      unbounded.send(Echo, { value: 2 }),
      unbounded.send(Echo, { value: 3 }, { timeout: 10 }),
    ]);
    assert.deepEqual(
      both.map((r) => r.value),
      [2, 3],
    );
    assert.ok(unbounded.isConnected);
  });

  it('a request that times out waiting for an in-flight slot fails alone and the connection stays', async () => {
    const seen: ReceivedRequest[] = [];
    const { connection } = await setup((req) => seen.push(req), {
      requestTimeout: 100,
      maxInFlightRequests: 1,
    });
    const long = connection.send(Echo, { value: 1 }, { timeout: 30_000 });
    const queued = await connection.send(Echo, { value: 2 }).catch((e: unknown) => e);
    assert.ok(queued instanceof KafkaJSRequestTimeoutError, String(queued));
    assert.equal(seen.length, 1, 'the queued request was never written');
    assert.ok(connection.isConnected, 'an unwritten request says nothing about the socket');
    answer(seen[0]!.socket, seen[0]!.correlationId, 1);
    assert.equal((await long).value, 1);
  });

  it('resets the connection on an answer with an unknown correlation id', async () => {
    const { connection } = await setup((req) => answer(req.socket, req.correlationId + 1000, 0));
    const err = await connection.send(Echo, { value: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof KafkaJSConnectionClosedError);
    assert.ok((err as Error).cause instanceof KafkaProtocolError);
    assert.ok(connection.isClosed);
  });

  it('fails exactly the pending requests retriably when the broker closes the socket', async () => {
    const seen: ReceivedRequest[] = [];
    const { connection } = await setup((req) => {
      seen.push(req);
      if (req.value === 1) answer(req.socket, req.correlationId, 1);
      if (seen.length === 3) req.socket.destroy();
    });
    const results = await Promise.allSettled([1, 2, 3].map((value) => connection.send(Echo, { value })));
    assert.equal(results[0]!.status, 'fulfilled');
    for (const r of results.slice(1)) {
      assert.equal(r.status, 'rejected');
      const reason = (r as PromiseRejectedResult).reason;
      assert.ok(reason instanceof KafkaJSConnectionError);
      assert.equal(reason.retriable, true);
    }
  });

  it('close() fails pending requests with KafkaJSConnectionClosedError', async () => {
    const { connection } = await setup(() => {});
    const pending = connection.send(Echo, { value: 1 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await connection.close();
    assert.ok((await pending) instanceof KafkaJSConnectionClosedError);
  });

  it('sends requests that expect no answer and resolves once written', async () => {
    const seen: ReceivedRequest[] = [];
    const { connection } = await setup((req) => seen.push(req));
    await connection.sendNoResponse(Echo, { value: 7 });
    assert.equal(connection.inFlightCount, 0);
    await waitFor(() => seen.length === 1, 10_000, 'the request at the broker');
    assert.equal(seen[0]!.value, 7);
  });

  it('picks min(our max, broker max) and refuses when no common version exists', async () => {
    const seen: ReceivedRequest[] = [];
    const { connection } = await setup((req) => {
      seen.push(req);
      answer(req.socket, req.correlationId, req.value);
    });
    connection.setApiVersions(new Map([[Echo.apiKey, { minVersion: 0, maxVersion: 2 }]]));
    await connection.send(Echo, { value: 1 });
    assert.equal(seen[0]!.apiVersion, 2);
    connection.setApiVersions(new Map([[Echo.apiKey, { minVersion: 5, maxVersion: 9 }]]));
    await assert.rejects(connection.send(Echo, { value: 1 }), (e: unknown) => {
      assert.ok(e instanceof KafkaJSUnsupportedVersion);
      assert.equal(e.retriable, false);
      assert.match(e.message, /No common version of Echo/);
      return true;
    });
    connection.setApiVersions(new Map());
    await assert.rejects(connection.send(Echo, { value: 1 }), KafkaJSUnsupportedVersion);
  });

  it('waits for drain when the socket buffer is full (backpressure) and loses nothing', async () => {
    const seen: number[] = [];
    const { connection } = await setup((req) => {
      seen.push(req.value);
      answer(req.socket, req.correlationId, req.value);
    });
    // large requests fill the socket's write buffer quickly
    const Big = {
      ...Echo,
      encodeRequest: (
        w: import('../../../src/protocol/codec/writer.js').Writer,
        _v: number,
        b: { value: number },
      ) => void w.int32(b.value).raw(Buffer.alloc(256 * 1024)),
    };
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => connection.send(Big, { value: i })),
    );
    assert.deepEqual(
      results.map((r) => r.value),
      Array.from({ length: 64 }, (_, i) => i),
    );
    assert.deepEqual(
      seen,
      Array.from({ length: 64 }, (_, i) => i),
    );
  });

  it('fails to connect with a retriable typed error when nothing listens, and times out a black hole', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const refused = await new Connection({ host: '127.0.0.1', port }).connect().catch((e: unknown) => e);
    assert.ok(refused instanceof KafkaJSConnectionError);
    assert.equal(refused.code, 'ECONNREFUSED');
    assert.equal(refused.retriable, true);
    // a socket factory whose socket never connects stands in for a black-holed address
    const started = Date.now();
    let made: net.Socket | undefined;
    const timedOut = await new Connection({
      host: 'black.hole',
      port: 9092,
      connectionTimeout: 200,
      socketFactory: () => {
        made = new net.Socket();
        return made;
      },
    })
      .connect()
      .catch((e: unknown) => e);
    assert.ok(timedOut instanceof KafkaJSConnectionError);
    assert.equal(timedOut.code, 'CONNECTION_TIMEOUT');
    assert.ok(made!.destroyed);
    // Nothing else would end the attempt: without the connection timeout it hangs. The bound is
    // loose so that a loaded machine does not fail it.
    assert.ok(Date.now() - started < 10_000);
  });

  it('emits network.request with the KafkaJS payload', async () => {
    const events = new InstrumentationEmitter();
    const payloads: Array<Record<string, unknown>> = [];
    events.on('network.request', (e) => payloads.push(e.payload as unknown as Record<string, unknown>));
    const { connection } = await setup((req) => answer(req.socket, req.correlationId, req.value), {
      instrumentation: events,
    });
    await connection.send(Echo, { value: 3 });
    const p = payloads[0]!;
    assert.equal(p.apiName, 'Echo');
    assert.equal(p.apiKey, 1000);
    assert.equal(p.apiVersion, 3);
    assert.equal(p.clientId, 'test');
    for (const k of [
      'broker',
      'correlationId',
      'size',
      'createdAt',
      'sentAt',
      'pendingDuration',
      'duration',
    ]) {
      assert.ok(k in p, k);
    }
  });
});
