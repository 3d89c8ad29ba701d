import net from 'node:net';
import type { ApiMessage } from '../../../src/protocol/api.js';
import type { Reader } from '../../../src/protocol/codec/reader.js';
import type { Writer } from '../../../src/protocol/codec/writer.js';

/** A toy API for connection tests: the request carries an int32, the answer echoes it. */
export interface EchoBody {
  value: number;
}

export const Echo: ApiMessage<EchoBody, EchoBody> = {
  apiKey: 1000,
  name: 'Echo',
  minVersion: 0,
  maxVersion: 3,
  flexibleVersion: -1,
  requestHeaderVersion: () => 1,
  responseHeaderVersion: () => 0,
  encodeRequest: (w: Writer, _v: number, body: EchoBody) => void w.int32(body.value),
  decodeRequest: (r: Reader) => ({ value: r.int32() }),
  encodeResponse: (w: Writer, _v: number, body: EchoBody) => void w.int32(body.value),
  decodeResponse: (r: Reader) => ({ value: r.int32() }),
};

export interface ReceivedRequest {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
  value: number;
  socket: net.Socket;
}

export function answer(socket: net.Socket, correlationId: number, value: number): void {
  const b = Buffer.alloc(12);
  b.writeInt32BE(8, 0);
  b.writeInt32BE(correlationId, 4);
  b.writeInt32BE(value, 8);
  socket.write(b);
}

/**
 * A TCP server that parses Echo requests (header v1) and hands each to `onRequest`, which
 * decides whether, when and how to answer.
 */
export async function startFakeBroker(
  onRequest: (req: ReceivedRequest) => void,
): Promise<{ port: number; server: net.Server; sockets: Set<net.Socket>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
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
        const clientIdLength = frame.readInt16BE(8);
        onRequest({
          apiKey: frame.readInt16BE(0),
          apiVersion: frame.readInt16BE(2),
          correlationId: frame.readInt32BE(4),
          clientId: frame.toString('utf8', 10, 10 + clientIdLength),
          value: frame.readInt32BE(10 + clientIdLength),
          socket,
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    server,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
