import net from 'node:net';
import tls from 'node:tls';
import { KafkaJSError, KafkaProtocolError } from '../errors/base.js';
import {
  KafkaJSConnectionClosedError,
  KafkaJSConnectionError,
  KafkaJSRequestTimeoutError,
  KafkaJSUnsupportedVersion,
} from '../errors/network.js';
import type { InstrumentationEmitter } from '../instrumentation/events.js';
import { type Logger, nullLogger } from '../logger.js';
import {
  closeChannel,
  connectChannel,
  type RequestTraceContext,
  requestChannel,
} from '../observability/diagnostics.js';
import type { ApiMessage } from '../protocol/api.js';
import { Reader } from '../protocol/codec/reader.js';
import { encodeRequestHeader } from '../protocol/messages/headers.js';
import { skipTaggedFields } from '../protocol/messages/runtime.js';
import { StateMachine } from '../transitions.js';
import { CONNECTION_TRANSITIONS, type ConnectionState } from './connection-states.js';
import { FrameWriter, writeFrame } from './frame-writer.js';
import { DEFAULT_MAX_FRAME_SIZE, FrameDecoder } from './framing.js';

export type ConnectionPurpose = 'default' | 'produce' | 'fetch';

/** KafkaJS's `socketFactory`: return a socket and call `onConnect` once it is connected (and TLS done). */
export type SocketFactory = (args: {
  host: string;
  port: number;
  ssl: tls.ConnectionOptions | undefined;
  onConnect: () => void;
}) => net.Socket;

export interface ApiVersionRange {
  minVersion: number;
  maxVersion: number;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId?: string;
  /** Which kind of traffic this connection carries; only used in logs and events. */
  purpose?: ConnectionPurpose;
  /** Node TLS options; `undefined` for plaintext. */
  ssl?: tls.ConnectionOptions;
  socketFactory?: SocketFactory;
  /** Milliseconds to open the socket (and finish TLS). Default 1000. */
  connectionTimeout?: number;
  /** Milliseconds the handshake (ApiVersions + SASL) may take. Default 10000. */
  authenticationTimeout?: number;
  /**
   * Default per-request timeout in milliseconds. Default 30000. A request written to the socket
   * and not answered in time fails with `KafkaJSRequestTimeoutError` and the connection is
   * destroyed (as Java's `NetworkClient` disconnects such a node): the pool opens a new one.
   */
  requestTimeout?: number;
  /** When false, requests wait for their answer however long it takes (no timeout at all). Default true. */
  enforceRequestTimeout?: boolean;
  /** Requests written but not yet answered; more wait in a queue. Default unlimited. */
  maxInFlightRequests?: number;
  maxFrameSize?: number;
  logger?: Logger;
  instrumentation?: InstrumentationEmitter;
  /**
   * Runs once the socket is open, before any queued request is sent: version negotiation and
   * SASL. Requests it makes go with `{ control: true }`.
   */
  initialize?: (connection: Connection) => Promise<void>;
}

export interface SendOptions {
  /** An exact version; otherwise the newest both sides support. */
  version?: number;
  /**
   * This request's timeout in milliseconds, instead of the connection's `requestTimeout`. A
   * request that blocks on the broker on purpose must include that wait: a long-polling Fetch
   * passes `requestTimeout + maxWaitMs`, JoinGroup its rebalance timeout plus a margin. Its
   * expiry costs the connection like any request timeout. Ignored with
   * `enforceRequestTimeout: false`; `Infinity` disables it for this request.
   */
  timeout?: number;
}

interface InternalSendOptions extends SendOptions {
  /** Handshake traffic: sent while user requests are held back. */
  control?: boolean;
  expectResponse?: boolean;
  /** Replaces `api.decodeResponse` (ApiVersions' error fallback needs it). */
  decode?: (r: Reader, version: number) => unknown;
}

interface PendingRequest {
  correlationId: number;
  api: ApiMessage<unknown, unknown>;
  version: number;
  /** The frame's pieces, written together (see FrameWriter); `size` bytes in all. */
  frame: Uint8Array[];
  size: number;
  expectResponse: boolean;
  control: boolean;
  decode: (r: Reader, version: number) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  createdAt: number;
  sentAt: number;
  timer: NodeJS.Timeout | undefined;
  trace: RequestTraceContext | undefined;
}

type State = ConnectionState;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** A certificate or handshake failure: retrying the same thing cannot fix it. */
function isTlsFailure(error: NodeJS.ErrnoException & { library?: string }): boolean {
  if (error.code !== undefined && NETWORK_CODES.has(error.code)) return false;
  return (
    error.library === 'SSL routines' ||
    /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_|EPROTO|HOSTNAME|ALTNAME/.test(error.code ?? '') ||
    /certificate|self.signed|ssl|tls/i.test(error.message)
  );
}

/**
 * One socket to one broker. Frames requests, assigns correlation ids, pipelines up to
 * `maxInFlightRequests`, matches answers by correlation id, applies per-request timeouts (a
 * timed-out request destroys the connection, see `onTimeout`), and respects socket backpressure
 * (a full write buffer holds the queue until `drain`).
 * Versions are negotiated per connection (the broker on the other end decides), so a rolling
 * upgrade never leaves a stale client-wide view.
 */
export class Connection {
  readonly host: string;
  readonly port: number;
  readonly broker: string;
  readonly clientId: string;
  readonly purpose: ConnectionPurpose;
  private readonly logger: Logger;
  private readonly requestTimeout: number;
  private readonly enforceRequestTimeout: boolean;
  private readonly maxInFlight: number;
  private socket: net.Socket | undefined;
  /** Every move is checked against the table in connection-states.ts. */
  private readonly lifecycle = new StateMachine<State>('connection', CONNECTION_TRANSITIONS, 'idle');
  private get state(): State {
    return this.lifecycle.state;
  }
  private connectPromise: Promise<void> | undefined;
  private readonly decoder: FrameDecoder;
  private nextCorrelationId = 0;
  private readonly queue: PendingRequest[] = [];
  private readonly controlQueue: PendingRequest[] = [];
  private readonly inFlight = new Map<number, PendingRequest>();
  private writeBlocked = false;
  /** Held closed while a (re-)authentication runs. */
  private gateOpen = false;
  private pauseWaiters: Array<() => void> = [];
  private versions: Map<number, ApiVersionRange> | undefined;
  /** The re-authentication timer, then (on an idle connection) the session-expiry timer. */
  private reauthTimer: NodeJS.Timeout | undefined;
  /** A re-authentication that fell due while idle: it runs before the next user request is written. */
  private pendingReauth: (() => Promise<void>) | undefined;
  /**
   * Whether a user request was written in the current SASL session. Such a connection is in use:
   * it re-authenticates when due even if nothing is in flight at that instant, instead of racing
   * its next request against the end of the session (with a short session, a request every 200 ms
   * could lose that race and find the connection closed).
   */
  private sessionUsed = false;
  /**
   * Why the connection closed, the cause of the error a later request on it gets: a connection
   * destroyed with nothing pending (a re-authentication that failed between two requests) would
   * otherwise answer only "is closed", losing the typed error that closed it.
   */
  private closedBy: Error | undefined;
  /**
   * Time of the last user request written or user answer received, for idle eviction.
   * Handshake and re-authentication traffic does not count: it would keep an unused connection
   * alive forever.
   */
  lastActivity = Date.now();

  constructor(private readonly options: ConnectionOptions) {
    this.host = options.host;
    this.port = options.port;
    this.broker = `${options.host}:${options.port}`;
    this.clientId = options.clientId ?? 'kafkats';
    this.purpose = options.purpose ?? 'default';
    this.logger = (options.logger ?? nullLogger).namespace('Connection');
    this.requestTimeout = options.requestTimeout ?? 30_000;
    this.enforceRequestTimeout = options.enforceRequestTimeout ?? true;
    this.maxInFlight = options.maxInFlightRequests ?? Number.POSITIVE_INFINITY;
    this.decoder = new FrameDecoder(
      (frame) => this.onFrame(frame),
      options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    );
  }

  get isConnected(): boolean {
    return this.state === 'ready';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Requests written and not answered. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Requests waiting for a slot or a drained socket. */
  get queueSize(): number {
    return this.queue.length + this.controlQueue.length;
  }

  /** The broker's advertised version ranges, once negotiated. */
  get apiVersions(): ReadonlyMap<number, ApiVersionRange> | undefined {
    return this.versions;
  }

  setApiVersions(versions: Map<number, ApiVersionRange>): void {
    this.versions = versions;
  }

  /** Opens the socket and runs the handshake. Concurrent callers share one attempt. */
  connect(): Promise<void> {
    if (this.state === 'closed') {
      return Promise.reject(
        new KafkaJSConnectionClosedError(`Connection to ${this.broker} is closed`, {
          broker: this.broker,
          cause: this.closedBy,
        }),
      );
    }
    this.connectPromise ??= this.doConnect();
    return this.connectPromise;
  }

  private async doConnect(): Promise<void> {
    this.lifecycle.to('connecting');
    const timeout = this.options.connectionTimeout ?? 1000;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (error) {
          socket.destroy();
          reject(error);
        } else resolve();
      };
      const onError = (e: NodeJS.ErrnoException) => finish(this.wrapSocketError(e, 'connect'));
      // close() while the socket is still connecting destroys it: that ends the attempt at once
      const onClose = () =>
        finish(
          new KafkaJSConnectionClosedError(`Connection to ${this.broker} was closed while connecting`, {
            broker: this.broker,
          }),
        );
      const onConnect = () => finish();
      const ssl = this.options.ssl;
      let socket: net.Socket;
      try {
        if (this.options.socketFactory) {
          socket = this.options.socketFactory({ host: this.host, port: this.port, ssl, onConnect });
        } else if (ssl) {
          socket = tls.connect(
            {
              servername: net.isIP(this.host) ? undefined : this.host,
              ...ssl,
              host: this.host,
              port: this.port,
            },
            onConnect,
          );
        } else {
          socket = net.connect({ host: this.host, port: this.port }, onConnect);
        }
      } catch (e) {
        // tls.connect throws at once on options it cannot use (a key whose passphrase is wrong, a
        // malformed certificate): typed, and not retriable when it is a TLS failure.
        reject(this.wrapSocketError(e as NodeJS.ErrnoException, 'connect'));
        return;
      }
      const timer = setTimeout(() => {
        finish(
          new KafkaJSConnectionError(`Connection to ${this.broker} timed out after ${timeout} ms`, {
            broker: this.broker,
            code: 'CONNECTION_TIMEOUT',
          }),
        );
      }, timeout);
      socket.on('error', onError);
      socket.once('close', onClose);
      this.socket = socket;
    }).catch((error: unknown) => {
      this.lifecycle.to('closed');
      this.failAll(error);
      throw error;
    });
    const socket = this.socket!;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.pump();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => this.destroy(this.wrapSocketError(e, 'io')));
    socket.on('close', () =>
      this.destroy(
        new KafkaJSConnectionClosedError(`Connection to ${this.broker} closed`, { broker: this.broker }),
      ),
    );
    if ((this.state as State) === 'closed')
      throw new KafkaJSConnectionClosedError(`Connection to ${this.broker} closed`, { broker: this.broker });
    if (connectChannel.hasSubscribers) connectChannel.publish({ broker: this.broker, purpose: this.purpose });
    this.options.instrumentation?.emit('network.connect', {
      broker: this.broker,
      clientId: this.clientId,
      purpose: this.purpose,
    });
    this.logger.debug('Connected', { broker: this.broker, purpose: this.purpose });
    this.lifecycle.to('initializing');
    if (this.options.initialize) {
      try {
        await this.withTimeout(
          this.options.initialize(this),
          this.options.authenticationTimeout ?? 10_000,
          'handshake',
        );
      } catch (error) {
        this.destroy(error);
        throw error;
      }
    }
    if (this.state !== 'initializing') {
      throw new KafkaJSConnectionClosedError(`Connection to ${this.broker} closed during the handshake`, {
        broker: this.broker,
      });
    }
    this.lifecycle.to('ready');
    this.gateOpen = true;
    this.pump();
  }

  private withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KafkaJSConnectionError(`The ${what} with ${this.broker} did not finish within ${ms} ms`, {
              broker: this.broker,
              code: 'AUTHENTICATION_TIMEOUT',
            }),
          ),
        ms,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private wrapSocketError(e: NodeJS.ErrnoException, phase: 'connect' | 'io'): KafkaJSConnectionError {
    if (this.options.ssl && isTlsFailure(e)) {
      return new KafkaJSConnectionError(`TLS connection to ${this.broker} failed: ${e.message}`, {
        broker: this.broker,
        code: e.code ?? 'TLS_ERROR',
        retriable: false,
        cause: e,
      });
    }
    const verb = phase === 'connect' ? 'Failed to connect to' : 'Connection error with';
    return new KafkaJSConnectionError(`${verb} ${this.broker}: ${e.message}`, {
      broker: this.broker,
      code: e.code,
      cause: e,
    });
  }

  /** The version `send` would use for `api`, or a typed error when there is none. */
  versionFor(api: ApiMessage<unknown, unknown>, requested?: number): number {
    let min = api.minVersion;
    let max = api.maxVersion;
    const range = this.versions?.get(api.apiKey);
    if (this.versions) {
      if (!range) {
        throw new KafkaJSUnsupportedVersion(`Broker ${this.broker} does not support ${api.name}`, {
          broker: this.broker,
          apiKey: api.apiKey,
          apiName: api.name,
        });
      }
      min = Math.max(min, range.minVersion);
      max = Math.min(max, range.maxVersion);
    }
    if (requested !== undefined) {
      if (requested < min || requested > max) {
        throw new KafkaJSUnsupportedVersion(
          `${api.name} v${requested} is outside the versions both sides support (v${min}–v${max}) on ${this.broker}`,
          { broker: this.broker, apiKey: api.apiKey, apiName: api.name },
        );
      }
      return requested;
    }
    if (min > max) {
      const theirs = range ? `v${range.minVersion}–v${range.maxVersion}` : 'none';
      throw new KafkaJSUnsupportedVersion(
        `No common version of ${api.name} with ${this.broker}: client v${api.minVersion}–v${api.maxVersion}, broker ${theirs}`,
        { broker: this.broker, apiKey: api.apiKey, apiName: api.name },
      );
    }
    return max;
  }

  /** Sends a request and resolves with the decoded answer. Connects first when needed. */
  async send<Req, Res>(api: ApiMessage<Req, Res>, body: Req, options: SendOptions = {}): Promise<Res> {
    if (this.state !== 'ready') await this.connect();
    return this.enqueue(api, body, options) as Promise<Res>;
  }

  /** Sends a request the broker does not answer (Produce with acks=0); resolves once written. */
  async sendNoResponse<Req>(
    api: ApiMessage<Req, unknown>,
    body: Req,
    options: SendOptions = {},
  ): Promise<void> {
    if (this.state !== 'ready') await this.connect();
    await this.enqueue(api, body, { ...options, expectResponse: false });
  }

  /** Handshake traffic (ApiVersions, SASL), allowed through while user requests are held. */
  sendControl<Req, Res>(
    api: ApiMessage<Req, Res>,
    body: Req,
    options: { version?: number; decode?: (r: Reader, version: number) => Res } = {},
  ): Promise<Res> {
    return this.enqueue(api, body, { ...options, control: true }) as Promise<Res>;
  }

  private enqueue<Req, Res>(
    api: ApiMessage<Req, Res>,
    body: Req,
    options: InternalSendOptions,
  ): Promise<unknown> {
    if (this.state === 'closed' || this.state === 'idle') {
      return Promise.reject(
        new KafkaJSConnectionClosedError(`Connection to ${this.broker} is not open`, {
          broker: this.broker,
          cause: this.closedBy,
        }),
      );
    }
    let version: number;
    let frame: Uint8Array[];
    let size: number;
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = correlationId === 0x7fffffff ? 0 : correlationId + 1;
    try {
      version = this.versionFor(api as ApiMessage<unknown, unknown>, options.version);
      const w = new FrameWriter(128);
      const sizeAt = w.reserveInt32();
      encodeRequestHeader(w, api.requestHeaderVersion(version), {
        requestApiKey: api.apiKey,
        requestApiVersion: version,
        correlationId,
        clientId: this.clientId,
      });
      api.encodeRequest(w, version, body);
      size = w.length;
      w.patchInt32(sizeAt, size - 4);
      frame = w.pieces();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const request: PendingRequest = {
        correlationId,
        api: api as ApiMessage<unknown, unknown>,
        version,
        frame,
        size,
        expectResponse: options.expectResponse ?? true,
        control: options.control ?? false,
        decode: options.decode ?? ((r, v) => api.decodeResponse(r, v)),
        resolve,
        reject,
        createdAt: Date.now(),
        sentAt: 0,
        timer: undefined,
        trace: undefined,
      };
      if (requestChannel.hasSubscribers) {
        request.trace = {
          broker: this.broker,
          clientId: this.clientId,
          apiName: api.name,
          apiKey: api.apiKey,
          apiVersion: version,
          correlationId,
        };
        requestChannel.start.publish(request.trace);
      }
      const timeout = options.timeout ?? this.requestTimeout;
      if (this.enforceRequestTimeout && Number.isFinite(timeout)) {
        request.timer = setTimeout(() => this.onTimeout(request), timeout);
      }
      // a re-authentication that fell due while idle runs first; it closes the gate synchronously,
      // so this request waits in the queue until it has succeeded
      if (!request.control && this.pendingReauth) this.startReauthentication(this.pendingReauth);
      (request.control ? this.controlQueue : this.queue).push(request);
      this.pump();
      if (request.sentAt === 0) {
        this.options.instrumentation?.emit('network.request_queue_size', {
          broker: this.broker,
          clientId: this.clientId,
          queueSize: this.queueSize,
        });
      }
      if (request.trace) requestChannel.end.publish(request.trace);
    });
  }

  /** Writes queued requests while there are free in-flight slots and the socket takes them. */
  private pump(): void {
    const socket = this.socket;
    if (!socket || this.state === 'closed' || this.state === 'idle') return;
    while (!this.writeBlocked && this.inFlight.size < this.maxInFlight) {
      const request =
        this.controlQueue.length > 0
          ? this.controlQueue.shift()
          : this.gateOpen
            ? this.queue.shift()
            : undefined;
      if (!request) break;
      request.sentAt = Date.now();
      if (!request.control) {
        this.lastActivity = request.sentAt;
        this.sessionUsed = true;
      }
      if (request.expectResponse) {
        this.inFlight.set(request.correlationId, request);
        if (!writeFrame(socket, request.frame)) this.writeBlocked = true;
      } else {
        const ok = writeFrame(socket, request.frame, (error) => {
          if (error) this.settle(request, undefined, this.wrapSocketError(error, 'io'));
          else this.settle(request, undefined, undefined);
        });
        if (!ok) this.writeBlocked = true;
      }
    }
    if (this.pauseWaiters.length > 0 && this.inFlight.size === 0) {
      const waiters = this.pauseWaiters;
      this.pauseWaiters = [];
      for (const w of waiters) w();
    }
  }

  private onData(chunk: Buffer): void {
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.destroy(error);
    }
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const request = this.inFlight.get(correlationId);
    if (!request) {
      // A request that timed out destroyed the connection, so an answer to it cannot arrive here.
      throw new KafkaProtocolError(
        `Response from ${this.broker} with unknown correlation id ${correlationId}; resetting the connection`,
      );
    }
    this.inFlight.delete(correlationId);
    if (!request.control) this.lastActivity = Date.now();
    let value: unknown;
    let error: unknown;
    try {
      // The correlation id was peeked above (the header version depends on the request it
      // names); what is left of response header v1 is its tagged fields. decodeResponseHeader()
      // would re-read the id into a new object on every answer, measurably slower for nothing.
      const r = new Reader(frame, 4);
      if (request.api.responseHeaderVersion(request.version) >= 1) skipTaggedFields(r);
      value = request.decode(r, request.version);
    } catch (e) {
      error = e;
    }
    this.settle(request, value, error);
    this.pump();
  }

  private settle(request: PendingRequest, value: unknown, error: unknown): void {
    if (request.timer) clearTimeout(request.timer);
    const trace = request.trace;
    if (error !== undefined) {
      if (trace) {
        trace.error = error;
        requestChannel.error.publish(trace);
      }
      request.reject(error);
    } else {
      const instrumentation = this.options.instrumentation;
      if (instrumentation?.hasListeners('network.request')) {
        const now = Date.now();
        instrumentation.emit('network.request', {
          broker: this.broker,
          clientId: this.clientId,
          correlationId: request.correlationId,
          size: request.size,
          createdAt: request.createdAt,
          sentAt: request.sentAt,
          pendingDuration: request.sentAt - request.createdAt,
          duration: now - request.sentAt,
          apiName: request.api.name,
          apiKey: request.api.apiKey,
          apiVersion: request.version,
        });
      }
      if (trace) {
        trace.result = value;
        requestChannel.asyncStart.publish(trace);
      }
      request.resolve(value);
    }
    if (trace) requestChannel.asyncEnd.publish(trace);
  }

  /**
   * A request got no answer in time. It fails with a retriable {@link KafkaJSRequestTimeoutError}.
   * When it had been written, or it never could be because the socket stopped taking bytes, the
   * connection is destroyed as well, as Java's `NetworkClient` disconnects a node whose request
   * timed out: a peer that went silent (half-open, no FIN or RST ever comes) or a stream out of
   * step (a frame whose size prefix lies makes the decoder wait for bytes that never come) would
   * otherwise hold every later request until it too timed out. The other pending requests fail
   * with a retriable {@link KafkaJSConnectionError} (code `REQUEST_TIMEOUT`) and the pool opens a
   * new connection on next use. A request that timed out while waiting for an in-flight slot
   * (`maxInFlightRequests`) or behind a re-authentication was never written; it fails alone, and
   * the requests ahead of it have their own timers.
   */
  private onTimeout(request: PendingRequest): void {
    request.timer = undefined;
    let written: boolean;
    if (this.inFlight.delete(request.correlationId)) {
      written = true;
    } else {
      const queue = request.control ? this.controlQueue : this.queue;
      const at = queue.indexOf(request);
      if (at < 0) return; // settled meanwhile, or an acks=0 request already handed to the socket
      queue.splice(at, 1);
      written = false;
    }
    const stuck = written || this.writeBlocked;
    const now = Date.now();
    const sentAt = request.sentAt || now;
    const pendingDuration = sentAt - request.createdAt;
    const elapsed = now - request.createdAt;
    this.options.instrumentation?.emit('network.request_timeout', {
      broker: this.broker,
      clientId: this.clientId,
      correlationId: request.correlationId,
      createdAt: request.createdAt,
      sentAt,
      pendingDuration,
      apiName: request.api.name,
      apiKey: request.api.apiKey,
      apiVersion: request.version,
    });
    this.logger.warn(stuck ? 'Request timed out; closing the connection' : 'Request timed out', {
      broker: this.broker,
      purpose: this.purpose,
      apiName: request.api.name,
      correlationId: request.correlationId,
      elapsed,
    });
    const what = `${request.api.name}(key ${request.api.apiKey}, v${request.version})`;
    this.settle(
      request,
      undefined,
      new KafkaJSRequestTimeoutError(`Request ${what} to ${this.broker} timed out after ${elapsed} ms`, {
        broker: this.broker,
        correlationId: request.correlationId,
        createdAt: request.createdAt,
        sentAt,
        pendingDuration,
      }),
    );
    if (!stuck) {
      this.pump();
      return;
    }
    this.destroy(
      new KafkaJSConnectionError(
        `Connection to ${this.broker} closed: request ${what} (correlation id ${request.correlationId}) timed out after ${elapsed} ms`,
        { broker: this.broker, code: 'REQUEST_TIMEOUT' },
      ),
    );
  }

  /**
   * Holds user requests, waits until none is in flight, runs `task` (a re-authentication), then
   * lets them go. Requests sent meanwhile queue up. The wait and the task together are bounded by
   * `timeoutMs`: a broker that stops answering gets the connection destroyed with a retriable
   * {@link KafkaJSConnectionError} (code `AUTHENTICATION_TIMEOUT`). On any failure the connection
   * is destroyed *before* the gate could reopen, so queued requests fail with the same error (a
   * refused login: the non-retriable `KafkaJSSASLAuthenticationError`; a network failure or
   * timeout: retriable) and are never written.
   */
  async runExclusive(task: () => Promise<void>, timeoutMs?: number): Promise<void> {
    this.gateOpen = false;
    const run = async (): Promise<void> => {
      if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.pauseWaiters.push(resolve));
      if (this.state !== 'ready') {
        throw new KafkaJSConnectionClosedError(
          `Connection to ${this.broker} closed before re-authentication`,
          {
            broker: this.broker,
          },
        );
      }
      await task();
    };
    try {
      await (timeoutMs !== undefined && Number.isFinite(timeoutMs)
        ? this.withTimeout(run(), timeoutMs, 're-authentication')
        : run());
    } catch (error) {
      if (this.state !== 'closed') {
        this.logger.error('Re-authentication failed; closing the connection', {
          broker: this.broker,
          error: error instanceof Error ? error.message : String(error),
        });
        this.destroy(error);
      }
      throw error;
    }
    if (this.state === 'ready') {
      this.gateOpen = true;
      this.pump();
    }
  }

  private startReauthentication(reauthenticate: () => Promise<void>): void {
    this.pendingReauth = undefined;
    this.runExclusive(reauthenticate, this.options.authenticationTimeout ?? 10_000).catch(() => {
      // logged, and the connection destroyed, by runExclusive
    });
  }

  /**
   * Arms (or re-arms) the re-authentication timer. When it fires on a connection that carried a
   * user request in this session (or has one in flight or queued), the re-authentication runs at
   * once; on one unused since it authenticated, it waits for the next user request (like Java's
   * client), and if none comes before the session ends (`sessionLifetimeMs` from now) the
   * connection is closed: the broker would close it on its next request anyway, and an unused
   * connection must not re-authenticate forever (each session it was used in is renewed once).
   */
  scheduleReauthentication(
    delayMs: number,
    reauthenticate: () => Promise<void>,
    sessionLifetimeMs?: number,
  ): void {
    if (this.reauthTimer) clearTimeout(this.reauthTimer);
    this.pendingReauth = undefined;
    // called once a (re-)authentication succeeded, with user requests held: a new session starts
    this.sessionUsed = false;
    this.reauthTimer = setTimeout(() => {
      this.reauthTimer = undefined;
      if (this.state !== 'ready') return;
      if (this.inFlight.size > 0 || this.queue.length > 0 || this.sessionUsed) {
        this.startReauthentication(reauthenticate);
        return;
      }
      this.pendingReauth = reauthenticate;
      if (sessionLifetimeMs === undefined || !Number.isFinite(sessionLifetimeMs)) return;
      this.reauthTimer = setTimeout(
        () => {
          this.reauthTimer = undefined;
          if (this.state !== 'ready' || this.pendingReauth === undefined) return;
          this.logger.debug('SASL session ended on an idle connection; closing it', {
            broker: this.broker,
            purpose: this.purpose,
          });
          void this.close();
        },
        Math.max(0, sessionLifetimeMs - delayMs),
      );
      this.reauthTimer.unref();
    }, delayMs);
    this.reauthTimer.unref();
  }

  /** Closes the socket; pending requests fail with a retriable {@link KafkaJSConnectionClosedError}. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const socket = this.socket;
    const opened = this.state === 'ready' || this.state === 'initializing';
    this.destroy(
      new KafkaJSConnectionClosedError(`Connection to ${this.broker} closed by the client`, {
        broker: this.broker,
      }),
    );
    if (socket && !socket.destroyed && !opened) {
      // still connecting: nothing to flush, and end() would wait for the connect to finish
      socket.destroy();
      return;
    }
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 1000).unref();
      });
    }
  }

  /** Marks the connection dead, fails every pending request with `reason`, destroys the socket. */
  private destroy(reason: unknown): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'ready' || this.state === 'initializing';
    this.lifecycle.to('closed');
    this.gateOpen = false;
    if (this.reauthTimer) clearTimeout(this.reauthTimer);
    this.reauthTimer = undefined;
    this.pendingReauth = undefined;
    this.decoder.reset();
    const error =
      reason instanceof KafkaJSError
        ? reason
        : new KafkaJSConnectionError(`Connection to ${this.broker} failed: ${String(reason)}`, {
            broker: this.broker,
            cause: reason,
          });
    this.closedBy = error;
    if (!(reason instanceof KafkaJSConnectionClosedError)) {
      this.logger.error('Connection error', {
        broker: this.broker,
        purpose: this.purpose,
        error: error.message,
      });
    }
    this.failAll(
      error instanceof KafkaProtocolError
        ? new KafkaJSConnectionClosedError(error.message, { broker: this.broker, cause: error })
        : error,
    );
    const waiters = this.pauseWaiters;
    this.pauseWaiters = [];
    for (const w of waiters) w();
    if (this.socket && !this.socket.destroyed && !(reason instanceof KafkaJSConnectionClosedError))
      this.socket.destroy();
    if (wasOpen) {
      if (closeChannel.hasSubscribers) closeChannel.publish({ broker: this.broker, purpose: this.purpose });
      this.options.instrumentation?.emit('network.disconnect', {
        broker: this.broker,
        clientId: this.clientId,
        purpose: this.purpose,
      });
    }
  }

  private failAll(error: unknown): void {
    const pending = [...this.inFlight.values(), ...this.controlQueue, ...this.queue];
    this.inFlight.clear();
    this.controlQueue.length = 0;
    this.queue.length = 0;
    for (const request of pending) this.settle(request, undefined, error);
  }
}
