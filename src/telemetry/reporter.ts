/**
 * KIP-714 client metrics push: asks a broker what to send (GetTelemetrySubscriptions), then every
 * push interval encodes the requested metrics as OTLP and sends them (PushTelemetry), and sends
 * a last, terminating push when the client closes. Errors never reach the client: the reporter
 * logs, backs off and asks for the subscription again, or gives up for good where the KIP says
 * so (a broker that does not support the APIs, or that refuses the payload as invalid).
 */
import type { Logger } from '../logger.js';
import type { ApiMessage } from '../protocol/api.js';
import { ZERO_UUID } from '../protocol/codec/uuid.js';
import { Codes } from '../protocol/codes.js';
import { CompressionTypes, compress, loadCompressionCodec } from '../protocol/compression/index.js';
import { GetTelemetrySubscriptions } from '../protocol/messages/get-telemetry-subscriptions.js';
import { PushTelemetry } from '../protocol/messages/push-telemetry.js';
import type { MetricSample } from './client-metrics.js';
import { type AttributeValue, encodeMetricsData, type OtlpMetric } from './otlp.js';
import { isRequested, readSubscription, type TelemetrySubscription } from './subscription.js';

/** What the reporter needs of a broker connection. */
export interface TelemetryConnection {
  readonly apiVersions: ReadonlyMap<number, unknown> | undefined;
  send<Req, Res>(api: ApiMessage<Req, Res>, body: Req): Promise<Res>;
}

/** What a client calls: start when connected, close (with the terminating push) before disconnecting. */
export interface TelemetryHook {
  start(): void;
  close(): Promise<void>;
}

export interface TelemetryReporterOptions {
  /** A connected connection to any broker. */
  connection: () => Promise<TelemetryConnection>;
  /** The client's metrics now (every metric; the subscription filters them). */
  collect: (now: number) => MetricSample[];
  /** OTLP resource attributes (client id, software name and version, group id, …). */
  resource: Record<string, AttributeValue>;
  logger: Logger;
  /** How long close() waits for the terminating push. Default 5000 ms. */
  closeTimeoutMs?: number;
  random?: () => number;
}

const INITIAL_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 30_000;
/** How soon to ask again after a subscription that cannot be honoured (Java's default interval). */
const IGNORED_SUBSCRIPTION_RETRY_MS = 300_000;
const SCOPE = 'kafkats';

type State = 'idle' | 'subscribed' | 'off';

export class TelemetryReporter implements TelemetryHook {
  private state: State = 'idle';
  private started = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private backoffMs = INITIAL_BACKOFF_MS;
  private subscription: TelemetrySubscription | undefined;
  private instanceId = ZERO_UUID;
  private pushed = false;
  private readonly startedAt = Date.now();
  private lastPushAt: number | undefined;
  /** Last pushed value of each sum series, for delta temporality. */
  private readonly lastSums = new Map<string, number>();
  private readonly log: Logger;
  private readonly random: () => number;

  constructor(private readonly options: TelemetryReporterOptions) {
    this.log = options.logger.namespace('ClientTelemetry');
    this.random = options.random ?? Math.random;
  }

  /** The id the broker assigned this client instance (`ZERO_UUID` before the first subscription). */
  get clientInstanceId(): string {
    return this.instanceId;
  }

  /** The subscription followed now, if any. */
  get activeSubscription(): Readonly<TelemetrySubscription> | undefined {
    return this.subscription;
  }

  /** Starts (again, after close(): a KafkaJS client may connect again). */
  start(): void {
    if (this.started && !this.closed) return;
    this.started = true;
    this.closed = false;
    this.state = 'idle';
    this.schedule(0, () => this.fetchSubscription());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    // Bounded as a whole: a request stuck on an unreachable broker must not hold up disconnect().
    const timeout = this.options.closeTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const last = async () => {
      await this.current?.catch(() => {});
      if (this.state === 'subscribed' && this.subscription !== undefined) await this.push(true);
    };
    try {
      await Promise.race([
        last(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeout);
        }),
      ]);
    } catch (error) {
      this.log.debug('Terminating telemetry push failed', { error: (error as Error).message });
    } finally {
      clearTimeout(timer);
      if (this.state === 'subscribed') this.state = 'idle';
    }
  }

  private schedule(ms: number, step: () => Promise<void>): void {
    if (this.closed || this.state === 'off') return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.current = step().catch((error: unknown) => this.failed(error));
    }, ms);
    this.timer.unref?.();
  }

  /** A request failed (network, timeout): back off, then ask for the subscription again. */
  private failed(error: unknown): void {
    this.log.debug('Client telemetry request failed; retrying', {
      error: error instanceof Error ? error.message : String(error),
      backoffMs: this.backoffMs,
    });
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.state = 'idle';
    this.schedule(wait, () => this.fetchSubscription());
  }

  private stop(reason: string, level: 'debug' | 'warn' | 'error'): void {
    this.log[level](`Client telemetry stopped: ${reason}`);
    this.state = 'off';
    this.subscription = undefined;
    clearTimeout(this.timer);
  }

  private async fetchSubscription(): Promise<void> {
    const connection = await this.options.connection();
    const versions = connection.apiVersions;
    if (
      versions &&
      (!versions.has(GetTelemetrySubscriptions.apiKey) || !versions.has(PushTelemetry.apiKey))
    ) {
      // Brokers before 3.7, or without a telemetry receiver configured, do not offer the APIs.
      this.stop('the broker does not accept client metrics (KIP-714)', 'debug');
      return;
    }
    const response = await connection.send(GetTelemetrySubscriptions, { clientInstanceId: this.instanceId });
    if (this.closed) return;
    if (response.errorCode !== Codes.NONE) {
      throw new Error(`GetTelemetrySubscriptions failed with error code ${response.errorCode}`);
    }
    if (this.instanceId === ZERO_UUID) this.instanceId = response.clientInstanceId;
    const read = readSubscription(response, this.log);
    if ('ignored' in read) {
      this.log.warn(`Ignoring the telemetry subscription: ${read.ignored}`, {
        subscriptionId: response.subscriptionId,
      });
      this.subscription = undefined;
      this.state = 'idle';
      this.schedule(IGNORED_SUBSCRIPTION_RETRY_MS, () => this.fetchSubscription());
      return;
    }
    const sub = read.subscription;
    if (this.subscription?.subscriptionId !== sub.subscriptionId) this.lastSums.clear();
    this.subscription = sub;
    this.backoffMs = INITIAL_BACKOFF_MS;
    if (sub.requestedMetrics.length === 0) {
      // Nothing requested: look again after the interval, as the operator may subscribe later.
      this.state = 'idle';
      this.schedule(sub.pushIntervalMs, () => this.fetchSubscription());
      return;
    }
    this.state = 'subscribed';
    // The first push is jittered (0.5–1.5 intervals) so that clients started together spread out.
    const wait = this.pushed ? sub.pushIntervalMs : Math.round(sub.pushIntervalMs * (0.5 + this.random()));
    this.schedule(wait, () => this.push(false));
  }

  private async push(terminating: boolean): Promise<void> {
    const sub = this.subscription;
    if (sub === undefined) return;
    const now = Date.now();
    const { compressionType, payload } = await this.payload(sub, now);
    if (sub.telemetryMaxBytes > 0 && payload.length > sub.telemetryMaxBytes) {
      this.log.warn('Telemetry payload larger than the broker accepts; skipping this push', {
        bytes: payload.length,
        telemetryMaxBytes: sub.telemetryMaxBytes,
      });
      if (!terminating) this.schedule(sub.pushIntervalMs, () => this.push(false));
      return;
    }
    const connection = await this.options.connection();
    const response = await connection.send(PushTelemetry, {
      clientInstanceId: this.instanceId,
      subscriptionId: sub.subscriptionId,
      terminating,
      compressionType,
      metrics: payload,
    });
    this.pushed = true;
    this.lastPushAt = now;
    if (terminating) return;
    switch (response.errorCode) {
      case Codes.NONE:
        this.backoffMs = INITIAL_BACKOFF_MS;
        this.schedule(sub.pushIntervalMs, () => this.push(false));
        return;
      case Codes.UNKNOWN_SUBSCRIPTION_ID:
      case Codes.UNSUPPORTED_COMPRESSION_TYPE:
        // The subscription changed (or its codecs did): ask for the new one now.
        this.state = 'idle';
        this.schedule(0, () => this.fetchSubscription());
        return;
      case Codes.INVALID_REQUEST:
      case Codes.INVALID_RECORD:
        this.stop(`the broker refused the metrics payload (error code ${response.errorCode})`, 'error');
        return;
      case Codes.TELEMETRY_TOO_LARGE:
      case Codes.THROTTLING_QUOTA_EXCEEDED:
        this.log.warn('Telemetry push refused; trying again at the next interval', {
          errorCode: response.errorCode,
        });
        this.schedule(sub.pushIntervalMs, () => this.push(false));
        return;
      default:
        throw new Error(`PushTelemetry failed with error code ${response.errorCode}`);
    }
  }

  /** The requested metrics as OTLP, compressed with the first accepted codec this process can load. */
  private async payload(
    sub: TelemetrySubscription,
    now: number,
  ): Promise<{ compressionType: number; payload: Buffer }> {
    const metrics: OtlpMetric[] = [];
    const byName = new Map<string, OtlpMetric>();
    for (const s of this.options.collect(now)) {
      if (!isRequested(sub.requestedMetrics, s.name)) continue;
      let value = s.value;
      let startTimeMs: number | undefined;
      if (s.kind === 'sum') {
        const key = s.attributes ? `${s.name}${JSON.stringify(s.attributes)}` : s.name;
        if (sub.deltaTemporality) {
          value = s.value - (this.lastSums.get(key) ?? 0);
          startTimeMs = this.lastPushAt ?? this.startedAt;
        } else startTimeMs = this.startedAt;
        this.lastSums.set(key, s.value);
      }
      let metric = byName.get(s.name);
      if (metric === undefined) {
        metric = { name: s.name, kind: s.kind, points: [] };
        if (s.unit) metric.unit = s.unit;
        if (s.description) metric.description = s.description;
        if (s.kind === 'sum') metric.temporality = sub.deltaTemporality ? 'delta' : 'cumulative';
        byName.set(s.name, metric);
        metrics.push(metric);
      }
      metric.points.push({
        value,
        integer: s.kind === 'sum' && Number.isSafeInteger(value),
        timeMs: now,
        ...(startTimeMs !== undefined ? { startTimeMs } : {}),
        ...(s.attributes ? { attributes: s.attributes } : {}),
      });
    }
    const raw = encodeMetricsData({
      resource: this.options.resource,
      scope: { name: SCOPE },
      metrics,
    });
    for (const codec of sub.compressionTypes) {
      try {
        await loadCompressionCodec(codec);
        return { compressionType: codec, payload: await compress(codec, raw) };
      } catch (error) {
        // An optional codec module may be missing here: try the broker's next choice.
        this.log.debug('Telemetry compression codec unavailable', { codec, error: (error as Error).message });
      }
    }
    return { compressionType: CompressionTypes.None, payload: raw };
  }
}
