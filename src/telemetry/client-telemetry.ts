/**
 * Builds the metrics push of one producer or consumer: its network stats, its sampler and the
 * reporter, over the client's own cluster view. Lives below the clients (it takes their metric
 * snapshots as functions), so neither client imports the other's metrics.
 */
import type { InstrumentationEmitter, NetworkEvents } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from '../network/client-software.js';
import type { Cluster } from '../network/cluster.js';
import type { ConsumerMetricsSnapshot, ProducerMetricsSnapshot } from '../observability/metrics.js';
import { ConsumerSampler, type NodeIdOf, ProducerSampler } from './client-metrics.js';
import { NetworkStats } from './network-stats.js';
import type { AttributeValue } from './otlp.js';
import { TelemetryReporter } from './reporter.js';

export interface ClientTelemetryOptions {
  cluster: Cluster;
  instrumentation: InstrumentationEmitter<NetworkEvents>;
  logger: Logger;
  clientId: string;
  /** Extra resource attributes (`group_id`, `transactional_id`). */
  resource?: Record<string, AttributeValue | undefined>;
}

function nodeIdOf(cluster: Cluster): NodeIdOf {
  return (address) => {
    for (const b of cluster.metadata.brokers.values()) if (`${b.host}:${b.port}` === address) return b.nodeId;
    return undefined;
  };
}

function resourceOf(options: ClientTelemetryOptions): Record<string, AttributeValue> {
  const resource: Record<string, AttributeValue> = {
    client_id: options.clientId,
    client_software_name: CLIENT_SOFTWARE_NAME,
    client_software_version: CLIENT_SOFTWARE_VERSION,
  };
  for (const [k, v] of Object.entries(options.resource ?? {})) if (v !== undefined) resource[k] = v;
  return resource;
}

export function producerTelemetry(
  options: ClientTelemetryOptions,
  metrics: () => ProducerMetricsSnapshot,
): TelemetryReporter {
  const sampler = new ProducerSampler(new NetworkStats(options.instrumentation), nodeIdOf(options.cluster));
  return new TelemetryReporter({
    connection: () => options.cluster.anyConnection(),
    collect: (now) => sampler.sample(metrics(), now),
    resource: resourceOf(options),
    logger: options.logger,
  });
}

export function consumerTelemetry(
  options: ClientTelemetryOptions,
  metrics: () => ConsumerMetricsSnapshot,
): TelemetryReporter {
  const sampler = new ConsumerSampler(new NetworkStats(options.instrumentation), nodeIdOf(options.cluster));
  return new TelemetryReporter({
    connection: () => options.cluster.anyConnection(),
    collect: (now) => sampler.sample(metrics(), now),
    resource: resourceOf(options),
    logger: options.logger,
  });
}
