/**
 * Turning a GetTelemetrySubscriptions answer into what the client will do: which metrics to push,
 * how often, with which temporality and compression. A subscription the client cannot honour (a
 * push interval of zero or less) is ignored with a warning rather than obeyed or crashed on.
 */
import type { Logger } from '../logger.js';
import { CompressionTypes } from '../protocol/compression/index.js';
import type { GetTelemetrySubscriptionsResponse } from '../protocol/messages/get-telemetry-subscriptions.js';

export interface TelemetrySubscription {
  clientInstanceId: string;
  subscriptionId: number;
  pushIntervalMs: number;
  deltaTemporality: boolean;
  /** Codecs the broker accepts that this client knows, in the broker's order of preference. */
  compressionTypes: number[];
  telemetryMaxBytes: number;
  /** Metric name prefixes; `[]` means no metrics, a `''` or `'*'` entry every metric. */
  requestedMetrics: string[];
}

const KNOWN_CODECS = new Set<number>([
  CompressionTypes.GZIP,
  CompressionTypes.Snappy,
  CompressionTypes.LZ4,
  CompressionTypes.ZSTD,
]);

/**
 * The subscription to follow, or a reason to ignore it. Unknown codec ids in the accepted list
 * are dropped (with a warning): the payload then goes with a known one or uncompressed.
 */
export function readSubscription(
  response: GetTelemetrySubscriptionsResponse,
  log: Pick<Logger, 'warn'>,
): { subscription: TelemetrySubscription } | { ignored: string } {
  if (!Number.isInteger(response.pushIntervalMs) || response.pushIntervalMs <= 0) {
    return {
      ignored: `push interval ${response.pushIntervalMs} ms is not a positive number of milliseconds`,
    };
  }
  const unknown = response.acceptedCompressionTypes.filter(
    (c) => !KNOWN_CODECS.has(c) && c !== CompressionTypes.None,
  );
  if (unknown.length > 0) {
    log.warn('Telemetry subscription names compression types this client does not know; ignoring them', {
      unknown,
    });
  }
  return {
    subscription: {
      clientInstanceId: response.clientInstanceId,
      subscriptionId: response.subscriptionId,
      pushIntervalMs: response.pushIntervalMs,
      deltaTemporality: response.deltaTemporality,
      compressionTypes: response.acceptedCompressionTypes.filter((c) => KNOWN_CODECS.has(c)),
      telemetryMaxBytes: response.telemetryMaxBytes,
      requestedMetrics: response.requestedMetrics,
    },
  };
}

/** True when `name` is requested: a prefix match against the subscription's list. */
export function isRequested(requested: readonly string[], name: string): boolean {
  for (const prefix of requested) {
    if (prefix === '' || prefix === '*' || name.startsWith(prefix)) return true;
  }
  return false;
}
