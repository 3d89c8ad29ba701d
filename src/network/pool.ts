import { KafkaJSError } from '../errors/base.js';
import { KafkaJSConnectionClosedError } from '../errors/network.js';
import type { InstrumentationEmitter } from '../instrumentation/events.js';
import { type Logger, nullLogger } from '../logger.js';
import { Connection, type ConnectionOptions, type ConnectionPurpose } from './connection.js';
import type { ExpectedIdentity } from './features.js';
import { createHandshake, type HandshakeOptions } from './handshake.js';
import { DEFAULT_RETRY, type RetryOptions, randomizedDelay } from './retry.js';

/** What every connection of a pool shares (everything but the address and purpose). */
export type SharedConnectionOptions = Omit<ConnectionOptions, 'host' | 'port' | 'purpose' | 'initialize'> &
  HandshakeOptions & { logger?: Logger; instrumentation?: InstrumentationEmitter };

export interface PoolOptions {
  connection: SharedConnectionOptions;
  /** Connections idle for longer are closed (Java's connections.max.idle.ms). Default 9 minutes. */
  connectionsMaxIdleMs?: number;
  /** Backoff between reconnects to one address (initialRetryTime, multiplier, factor, maxRetryTime). */
  retry?: RetryOptions;
  /** Per-purpose overrides, e.g. a larger in-flight limit for produce. */
  purposeOptions?: Partial<Record<ConnectionPurpose, Partial<ConnectionOptions>>>;
  /**
   * The node and cluster expected at an address, asked when a connection's handshake starts (so
   * it reflects the metadata of that moment): sent in ApiVersions v5 (KIP-1242). Unknown
   * addresses (bootstrap) return undefined.
   */
  expectedIdentity?: (host: string, port: number) => ExpectedIdentity | undefined;
}

interface Slot {
  connection: Connection | undefined;
  /** A connect attempt in progress; concurrent callers share it. */
  connecting: Promise<Connection> | undefined;
  failures: number;
  nextAttemptAt: number;
  /** Set when the pool closed or dropped the slot: a connect finishing later must not keep its socket. */
  removed: boolean;
  /** Ends a backoff wait early (the pool is closing). */
  wake: (() => void) | undefined;
}

/**
 * Connections per broker address and purpose (`default`, `produce`, `fetch`), opened lazily. A
 * failed connect backs off exponentially with jitter before the next try; connections idle for
 * `connectionsMaxIdleMs` are closed by a sweeper.
 */
export class ConnectionPool {
  private readonly slots = new Map<string, Slot>();
  private readonly logger: Logger;
  private readonly maxIdleMs: number;
  private readonly handshake: (connection: Connection, expected?: ExpectedIdentity) => Promise<void>;
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    this.logger = (options.connection.logger ?? nullLogger).namespace('ConnectionPool');
    this.maxIdleMs = options.connectionsMaxIdleMs ?? 9 * 60_000;
    this.handshake = createHandshake({
      sasl: options.connection.sasl,
      reauthenticationThreshold: options.connection.reauthenticationThreshold,
      logger: options.connection.logger,
    });
    this.startSweeper();
  }

  private startSweeper(): void {
    if (this.sweeper === undefined && Number.isFinite(this.maxIdleMs) && this.maxIdleMs > 0) {
      this.sweeper = setInterval(() => this.closeIdle(), Math.min(Math.max(this.maxIdleMs / 2, 10), 30_000));
      this.sweeper.unref();
    }
  }

  /**
   * Accepts connections again after close(): a client may connect after it disconnected
   * (KafkaJS allows connect → disconnect → connect, and a crashed consumer reconnects to restart).
   */
  reopen(): void {
    this.closed = false;
    this.startSweeper();
  }

  /** A connected, authenticated connection to `host:port` for `purpose`. */
  async get(host: string, port: number, purpose: ConnectionPurpose = 'default'): Promise<Connection> {
    if (this.closed) throw new KafkaJSError('The connection pool is closed', { retriable: false });
    const key = `${host}:${port}/${purpose}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = {
        connection: undefined,
        connecting: undefined,
        failures: 0,
        nextAttemptAt: 0,
        removed: false,
        wake: undefined,
      };
      this.slots.set(key, slot);
    }
    if (slot.connection?.isConnected) return slot.connection;
    slot.connecting ??= this.open(slot, host, port, purpose).finally(() => {
      slot.connecting = undefined;
    });
    return slot.connecting;
  }

  private async open(
    slot: Slot,
    host: string,
    port: number,
    purpose: ConnectionPurpose,
  ): Promise<Connection> {
    const wait = slot.nextAttemptAt - Date.now();
    if (wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        slot.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      slot.wake = undefined;
    }
    if (slot.removed) throw this.closedError(host, port);
    const shared = this.options.connection;
    const connection = new Connection({
      ...shared,
      ...this.options.purposeOptions?.[purpose],
      host,
      port,
      purpose,
      initialize: (c) => this.handshake(c, this.options.expectedIdentity?.(host, port)),
    });
    slot.connection = connection;
    try {
      await connection.connect();
    } catch (error) {
      if (slot.connection === connection) slot.connection = undefined;
      if (slot.removed) throw error;
      const retry = { ...DEFAULT_RETRY, ...this.options.retry };
      const nominal = Math.min(
        retry.initialRetryTime * retry.multiplier ** slot.failures,
        retry.maxRetryTime,
      );
      slot.failures++;
      slot.nextAttemptAt = Date.now() + Math.min(randomizedDelay(nominal, retry.factor), retry.maxRetryTime);
      this.logger.debug('Connect failed; backing off', {
        broker: `${host}:${port}`,
        purpose,
        failures: slot.failures,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    if (slot.removed) {
      // the pool was closed (or the address dropped) while this connect was in flight
      await connection.close();
      throw this.closedError(host, port);
    }
    slot.failures = 0;
    slot.nextAttemptAt = 0;
    return connection;
  }

  private closedError(host: string, port: number): KafkaJSConnectionClosedError {
    return new KafkaJSConnectionClosedError(
      `Connection to ${host}:${port} was closed while connecting: the pool or the address was closed`,
      { broker: `${host}:${port}`, retriable: !this.closed },
    );
  }

  /** Every open connection (for tests and metrics). */
  connections(): Connection[] {
    const out: Connection[] = [];
    for (const slot of this.slots.values())
      if (slot.connection && !slot.connection.isClosed) out.push(slot.connection);
    return out;
  }

  /** Closes connections that carried nothing for `connectionsMaxIdleMs`. */
  closeIdle(now = Date.now()): number {
    let closed = 0;
    for (const slot of this.slots.values()) {
      const c = slot.connection;
      if (!c?.isConnected || c.inFlightCount > 0 || c.queueSize > 0) continue;
      if (now - c.lastActivity >= this.maxIdleMs) {
        slot.connection = undefined;
        closed++;
        this.logger.debug('Closing idle connection', { broker: c.broker, purpose: c.purpose });
        void c.close();
      }
    }
    return closed;
  }

  /** Closes the connections to one address (all purposes), e.g. after the broker left the cluster. */
  async closeAddress(host: string, port: number): Promise<void> {
    const prefix = `${host}:${port}/`;
    const closing: Promise<void>[] = [];
    for (const [key, slot] of this.slots) {
      if (!key.startsWith(prefix)) continue;
      slot.removed = true;
      slot.wake?.();
      if (slot.connection) closing.push(slot.connection.close());
      this.slots.delete(key);
    }
    await Promise.all(closing);
  }

  /**
   * Closes every connection and forgets every address, but stays usable: a rebootstrap starts
   * over from the bootstrap addresses with no connection to the cluster it is leaving.
   */
  async reset(): Promise<void> {
    await this.closeSlots();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.closeSlots();
  }

  private async closeSlots(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      slot.removed = true;
      slot.wake?.();
      if (slot.connection) closing.push(slot.connection.close());
    }
    this.slots.clear();
    await Promise.all(closing);
  }
}
