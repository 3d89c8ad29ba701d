import net from 'node:net';
import type { ApiMessage } from '../../../src/protocol/api.js';
import { Reader } from '../../../src/protocol/codec/reader.js';
import { Writer } from '../../../src/protocol/codec/writer.js';
import { ApiVersions, type ApiVersionsResponse } from '../../../src/protocol/messages/api-versions.js';
import { decodeRequestHeader, encodeResponseHeader } from '../../../src/protocol/messages/headers.js';

/**
 * A TCP server that speaks just enough Kafka for pool, cluster and SASL tests: it decodes request
 * headers and bodies with the generated codec and answers ApiVersions by itself (advertising the
 * versions of the APIs it has handlers for) unless given an ApiVersions handler. Everything else goes to a handler per API, which
 * returns the response body, `undefined` to stay silent, or a promise of either.
 */
export type FakeHandler = (
  request: unknown,
  context: { version: number; correlationId: number; socket: net.Socket; connectionIndex: number },
) => unknown;

export interface FakeKafka {
  port: number;
  /** Sockets accepted and not yet closed. */
  sockets: Set<net.Socket>;
  /** Sockets accepted since the start. */
  accepted: number;
  /** Requests received per API name (ApiVersions included). */
  counts: Map<string, number>;
  close(): Promise<void>;
}

/** The ApiVersions answer a fake gives by itself, for handlers that answer it late. */
export function apiVersionsAnswer(apis: ReadonlyArray<ApiMessage<unknown, unknown>>): ApiVersionsResponse {
  return {
    errorCode: 0,
    apiKeys: [ApiVersions, ...apis.filter((a) => a.apiKey !== ApiVersions.apiKey)].map((api) => ({
      apiKey: api.apiKey,
      minVersion: api.minVersion,
      maxVersion: api.maxVersion,
    })),
    throttleTimeMs: 0,
  };
}

export async function startFakeKafka(
  apis: ReadonlyArray<{ api: ApiMessage<unknown, unknown>; handle: FakeHandler }>,
): Promise<FakeKafka> {
  const byKey = new Map(apis.map((a) => [a.api.apiKey, a]));
  const sockets = new Set<net.Socket>();
  const counts = new Map<string, number>();
  const state = { accepted: 0 };
  const versionsAnswer = apiVersionsAnswer(apis.map((a) => a.api));

  const reply = (
    socket: net.Socket,
    api: ApiMessage<unknown, unknown>,
    version: number,
    correlationId: number,
    body: unknown,
  ) => {
    if (socket.destroyed) return;
    const w = new Writer(256);
    const sizeAt = w.reserveInt32();
    // ApiVersions answers always carry header v0, whatever the request's version
    encodeResponseHeader(w, api.apiKey === ApiVersions.apiKey ? 0 : api.responseHeaderVersion(version), {
      correlationId,
    });
    api.encodeResponse(w, version, body);
    w.patchInt32(sizeAt, w.pos - 4);
    socket.write(w.finish());
  };

  const server = net.createServer((socket) => {
    const connectionIndex = state.accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const size = buf.readInt32BE(0);
        const frame = buf.subarray(4, 4 + size);
        buf = buf.subarray(4 + size);
        const apiKey = frame.readInt16BE(0);
        const version = frame.readInt16BE(2);
        const entry =
          byKey.get(apiKey) ??
          (apiKey === ApiVersions.apiKey
            ? { api: ApiVersions as ApiMessage<unknown, unknown>, handle: () => versionsAnswer }
            : undefined);
        if (!entry) {
          socket.destroy();
          return;
        }
        const r = new Reader(frame);
        const header = decodeRequestHeader(r, entry.api.requestHeaderVersion(version));
        const body = entry.api.decodeRequest(r, version);
        counts.set(entry.api.name, (counts.get(entry.api.name) ?? 0) + 1);
        const out = entry.handle(body, {
          version,
          correlationId: header.correlationId,
          socket,
          connectionIndex,
        });
        void Promise.resolve(out).then((value) => {
          if (value !== undefined) reply(socket, entry.api, version, header.correlationId, value);
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    get accepted() {
      return state.accepted;
    },
    counts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Resolves once `predicate` holds, polling every 5 ms; rejects after `ms`. The default deadline is
 * generous: it only bounds a failure, and unit files run in parallel on a loaded machine.
 */
export async function waitFor(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
