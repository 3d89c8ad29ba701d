/**
 * A fault-injecting TCP proxy for the reliability tests: one listener on 127.0.0.1 per broker,
 * forwarding to that broker, with knobs to add latency, cap bandwidth, stall (stop forwarding
 * without closing anything: a half-open peer), drop every connection (RST or FIN), and rewrite
 * the broker's response frames (the fuzzer).
 *
 * Brokers advertise their own addresses in Metadata, so a client given only the proxy's address
 * would go around it after bootstrap. Instead of rewriting Metadata, the client gets a
 * `socketFactory` ({@link ProxyGroup.socketFactory}) that sends every broker address to that
 * broker's proxy; an address without a proxy is counted in `unproxied` so a test can assert that
 * nothing bypassed the faults.
 */
import net from 'node:net';
import type { SocketFactory } from '../../src/network/connection.js';

/** Rewrites one broker→client frame (its int32 size prefix included); returns the bytes to send. */
export type FrameMutator = (frame: Buffer) => Buffer;

interface Chunk {
  data: Buffer;
  releaseAt: number;
}

/** One direction of one proxied connection: a queue released after the latency, at the bandwidth cap. */
class Pipe {
  private readonly queue: Chunk[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private frameBuffer: Buffer = Buffer.alloc(0);
  /** When the throttle allows the next byte. */
  private nextSendAt = 0;

  constructor(
    private readonly proxy: FaultProxy,
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly responses: boolean,
    private readonly conn: { stalled: boolean },
  ) {
    from.on('data', (data: Buffer) => this.onData(data));
  }

  private onData(data: Buffer): void {
    if (this.responses) this.proxy.bytesFromBroker += data.length;
    else this.proxy.bytesFromClient += data.length;
    const mutator = this.responses ? this.proxy.mutator : undefined;
    if (mutator) {
      // Cut the stream into frames so that the mutator sees whole answers.
      this.frameBuffer = this.frameBuffer.length === 0 ? data : Buffer.concat([this.frameBuffer, data]);
      while (this.frameBuffer.length >= 4) {
        const size = this.frameBuffer.readInt32BE(0);
        if (this.frameBuffer.length < 4 + size) break;
        const frame = this.frameBuffer.subarray(0, 4 + size);
        this.frameBuffer = this.frameBuffer.subarray(4 + size);
        this.enqueue(mutator(Buffer.from(frame)));
      }
    } else {
      if (this.frameBuffer.length > 0) {
        data = Buffer.concat([this.frameBuffer, data]);
        this.frameBuffer = Buffer.alloc(0);
      }
      this.enqueue(data);
    }
  }

  private enqueue(data: Buffer): void {
    if (data.length === 0) return;
    this.queue.push({ data, releaseAt: Date.now() + this.proxy.latencyMs });
    this.queued += data.length;
    // Hold the sender back (TCP backpressure) instead of buffering without bound.
    if (this.queued > 4 * 1024 * 1024) this.from.pause();
    this.pump();
  }

  pump(): void {
    if (this.timer !== undefined) return;
    while (this.queue.length > 0) {
      if (this.proxy.stalled || this.conn.stalled || this.to.destroyed) return;
      const now = Date.now();
      const head = this.queue[0]!;
      const wait = Math.max(head.releaseAt - now, this.nextSendAt - now);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      let piece = head.data;
      const rate = this.proxy.bytesPerSecond;
      if (rate > 0) {
        // At most 20 ms worth of bytes per write.
        const max = Math.max(1, Math.floor(rate / 50));
        if (piece.length > max) {
          head.data = piece.subarray(max);
          piece = piece.subarray(0, max);
        } else this.queue.shift();
        this.nextSendAt = Math.max(now, this.nextSendAt) + (piece.length * 1000) / rate;
      } else this.queue.shift();
      this.queued -= piece.length;
      this.to.write(piece);
      if (this.queued < 1024 * 1024 && this.from.isPaused() && !this.proxy.stalled && !this.conn.stalled)
        this.from.resume();
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.queued = 0;
  }
}

interface ProxiedConnection {
  client: net.Socket;
  upstream: net.Socket;
  pipes: Pipe[];
  /** Stalled on its own (a black hole): new connections still work. */
  stalled: boolean;
}

/** A proxy in front of one broker. */
export class FaultProxy {
  /** Added to every chunk in both directions. */
  latencyMs = 0;
  /** Bandwidth cap per direction and connection in bytes per second; 0 = none. */
  bytesPerSecond = 0;
  /** When true nothing is forwarded and nothing is closed (half-open peer). */
  stalled = false;
  /** Applied to each broker→client frame while set. */
  mutator: FrameMutator | undefined;
  connectionsAccepted = 0;
  connectionsDropped = 0;
  bytesFromClient = 0;
  bytesFromBroker = 0;
  private readonly connections = new Set<ProxiedConnection>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    const proxy = new FaultProxy(server, port, target);
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  private accept(client: net.Socket): void {
    this.connectionsAccepted++;
    client.pause();
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    const conn: ProxiedConnection = { client, upstream, pipes: [], stalled: false };
    this.connections.add(conn);
    const close = () => {
      if (!this.connections.delete(conn)) return;
      for (const p of conn.pipes) p.stop();
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    upstream.once('connect', () => {
      upstream.setNoDelay(true);
      client.setNoDelay(true);
      conn.pipes.push(
        new Pipe(this, client, upstream, false, conn),
        new Pipe(this, upstream, client, true, conn),
      );
      if (!this.stalled) client.resume();
    });
  }

  /** Stop forwarding (both directions, sockets paused, no FIN, no RST). */
  stall(): void {
    this.stalled = true;
    for (const c of this.connections) {
      c.client.pause();
      c.upstream.pause();
    }
  }

  /**
   * Black-holes the connections open now, for good (until dropped): nothing forwarded, nothing
   * closed. Connections opened later work normally.
   */
  blackholeExisting(): number {
    for (const c of this.connections) {
      c.stalled = true;
      c.client.pause();
      c.upstream.pause();
    }
    return this.connections.size;
  }

  /** Forward again, starting with what was held back. */
  unstall(): void {
    this.stalled = false;
    for (const c of this.connections) {
      c.client.resume();
      c.upstream.resume();
      for (const p of c.pipes) p.pump();
    }
  }

  /** Closes every proxied connection: `reset` sends an RST to the client, `close` a FIN. */
  drop(how: 'reset' | 'close' = 'reset'): number {
    let n = 0;
    for (const c of [...this.connections]) {
      this.connections.delete(c);
      for (const p of c.pipes) p.stop();
      if (how === 'reset' && typeof c.client.resetAndDestroy === 'function') c.client.resetAndDestroy();
      else c.client.end(() => c.client.destroy());
      c.upstream.destroy();
      n++;
    }
    this.connectionsDropped += n;
    return n;
  }

  async close(): Promise<void> {
    this.drop('close');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** One proxy per broker address, and the socket factory that routes a client through them. */
export class ProxyGroup {
  /** Connections the factory was asked for whose address had no proxy (they went direct). */
  unproxied = 0;

  private constructor(readonly proxies: Map<string, FaultProxy>) {}

  /** `addresses` are the brokers' advertised `host:port` strings. */
  static async start(addresses: readonly string[]): Promise<ProxyGroup> {
    const proxies = new Map<string, FaultProxy>();
    for (const address of addresses) {
      const i = address.lastIndexOf(':');
      const host = address.slice(0, i);
      const port = Number(address.slice(i + 1));
      proxies.set(address, await FaultProxy.start({ host, port }));
    }
    return new ProxyGroup(proxies);
  }

  get all(): FaultProxy[] {
    return [...this.proxies.values()];
  }

  /** The proxies' own addresses, usable as `brokers`. */
  get addresses(): string[] {
    return this.all.map((p) => p.address);
  }

  readonly socketFactory: SocketFactory = ({ host, port, onConnect }) => {
    const proxy = this.proxies.get(`${host}:${port}`);
    if (!proxy) {
      // The proxies' own addresses are fine too (bootstrap through a proxy).
      if (host === '127.0.0.1' && this.all.some((p) => p.port === port)) {
        return net.connect({ host, port }, onConnect);
      }
      this.unproxied++;
      return net.connect({ host, port }, onConnect);
    }
    return net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect);
  };

  set latencyMs(ms: number) {
    for (const p of this.all) p.latencyMs = ms;
  }

  set bytesPerSecond(rate: number) {
    for (const p of this.all) p.bytesPerSecond = rate;
  }

  set mutator(m: FrameMutator | undefined) {
    for (const p of this.all) p.mutator = m;
  }

  stall(): void {
    for (const p of this.all) p.stall();
  }

  unstall(): void {
    for (const p of this.all) p.unstall();
  }

  blackholeExisting(): number {
    let n = 0;
    for (const p of this.all) n += p.blackholeExisting();
    return n;
  }

  drop(how: 'reset' | 'close' = 'reset'): number {
    let n = 0;
    for (const p of this.all) n += p.drop(how);
    return n;
  }

  get openConnections(): number {
    return this.all.reduce((n, p) => n + p.openConnections, 0);
  }

  get connectionsAccepted(): number {
    return this.all.reduce((n, p) => n + p.connectionsAccepted, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((p) => p.close()));
  }
}
