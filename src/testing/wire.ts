/**
 * Two hand-built Kafka requests, enough to tell whether a broker is up: ApiVersions v0 and
 * Metadata v4 (both non-flexible, so no tagged fields; both still served by 3.9 and 4.x, where
 * KIP-896 removed Metadata below v4). The harness must not depend on the client's codec: it is
 * what tests that codec.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const CLIENT_ID = 'kafkats-harness';
const API_VERSIONS = 18;
const METADATA = 3;

/** Options of `probeApiVersions` and `probeMetadata`. */
export interface ProbeOptions {
  /** Connect with TLS, trusting this CA (PEM). */
  tls?: {
    /** CA certificate (PEM) the broker's certificate must chain to. */
    ca: string;
    /** Client certificate (PEM), for a mutual-TLS listener. */
    cert?: string;
    /** The client certificate's private key (PEM). */
    key?: string;
  };
  /** Milliseconds to wait for the answer before rejecting (default 5000). */
  timeoutMs?: number;
}

function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer): Buffer {
  const clientId = Buffer.from(CLIENT_ID, 'utf8');
  const header = Buffer.alloc(10 + clientId.length);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  clientId.copy(header, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

/** Sends one request and resolves to the response body after the correlation id. */
function roundTrip(
  host: string,
  port: number,
  frame: Buffer,
  correlationId: number,
  options: ProbeOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 5_000;
    let socket: Socket;
    if (options.tls) {
      socket = tlsConnect({
        host,
        port,
        ca: options.tls.ca,
        cert: options.tls.cert,
        key: options.tls.key,
        servername: 'localhost',
      });
      socket.once('secureConnect', () => socket.write(frame));
    } else {
      socket = netConnect({ host, port });
      socket.once('connect', () => socket.write(frame));
    }
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, body?: Buffer) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(body!);
    };
    const timer = setTimeout(
      () => finish(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      const gotCorrelation = received.readInt32BE(4);
      if (gotCorrelation !== correlationId) {
        finish(new Error(`correlation id ${gotCorrelation} from ${host}:${port}, expected ${correlationId}`));
      } else {
        finish(undefined, received.subarray(8, 4 + size));
      }
    });
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error(`${host}:${port} closed the connection before answering`)));
  });
}

let nextCorrelationId = 1;

/** The result of an ApiVersions v0 request: the error code and the API keys the broker serves. */
/** What `probeApiVersions` read from the broker's ApiVersions v0 answer. */
export interface ApiVersionsAnswer {
  /** Kafka error code of the answer (0 when the broker accepted the request). */
  errorCode: number;
  /** Every API the broker supports, with its version range. */
  apiKeys: {
    /** Numeric API key (0 Produce, 1 Fetch, 3 Metadata...). */
    apiKey: number;
    /** Oldest version the broker accepts. */
    minVersion: number;
    /** Newest version the broker accepts. */
    maxVersion: number;
  }[];
}

/** Sends ApiVersions v0 to `host:port`; rejects when the broker does not answer. */
export async function probeApiVersions(
  host: string,
  port: number,
  options: ProbeOptions = {},
): Promise<ApiVersionsAnswer> {
  const correlationId = nextCorrelationId++;
  const body = await roundTrip(
    host,
    port,
    requestFrame(API_VERSIONS, 0, correlationId, Buffer.alloc(0)),
    correlationId,
    options,
  );
  const errorCode = body.readInt16BE(0);
  const count = body.readInt32BE(2);
  const apiKeys: ApiVersionsAnswer['apiKeys'] = [];
  for (let i = 0, at = 6; i < count && at + 6 <= body.length; i++, at += 6) {
    apiKeys.push({
      apiKey: body.readInt16BE(at),
      minVersion: body.readInt16BE(at + 2),
      maxVersion: body.readInt16BE(at + 4),
    });
  }
  return { errorCode, apiKeys };
}

/** The broker list and cluster id from a Metadata v4 response (topics are not requested). */
/** What `probeMetadata` read from the broker's Metadata v4 answer. */
export interface MetadataAnswer {
  /** The cluster id, or null if the broker reported none. */
  clusterId: string | null;
  /** Broker id of the controller the broker reports (-1 when unknown). */
  controllerId: number;
  /** Every live broker. */
  brokers: {
    /** Broker id. */
    nodeId: number;
    /** Advertised host. */
    host: string;
    /** Advertised port. */
    port: number;
  }[];
}

function readString(body: Buffer, at: number): [string | null, number] {
  const length = body.readInt16BE(at);
  if (length < 0) return [null, at + 2];
  return [body.toString('utf8', at + 2, at + 2 + length), at + 2 + length];
}

/** Sends Metadata v4 for no topics: the cheapest request that lists every live broker. */
export async function probeMetadata(
  host: string,
  port: number,
  options: ProbeOptions = {},
): Promise<MetadataAnswer> {
  const correlationId = nextCorrelationId++;
  // topics: empty array (not null, which would mean "all"); allow_auto_topic_creation: false
  const request = Buffer.from([0, 0, 0, 0, 0]);
  const body = await roundTrip(
    host,
    port,
    requestFrame(METADATA, 4, correlationId, request),
    correlationId,
    options,
  );
  let at = 4; // throttle_time_ms
  const count = body.readInt32BE(at);
  at += 4;
  const brokers: MetadataAnswer['brokers'] = [];
  for (let i = 0; i < count; i++) {
    const nodeId = body.readInt32BE(at);
    let host: string | null;
    [host, at] = readString(body, at + 4);
    const port = body.readInt32BE(at);
    [, at] = readString(body, at + 4); // rack
    brokers.push({ nodeId, host: host ?? '', port });
  }
  const [clusterId, afterCluster] = readString(body, at);
  const controllerId = body.readInt32BE(afterCluster);
  brokers.sort((a, b) => a.nodeId - b.nodeId);
  return { clusterId, controllerId, brokers };
}

/** Splits `host:port`. */
export function parseHostPort(address: string): {
  /** Everything before the last `:`. */
  host: string;
  /** The port, 1 to 65535. */
  port: number;
} {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`"${address}" is not host:port`);
  }
  return { host: address.slice(0, at), port };
}
