import { Summary } from '../observability/metrics.js';

/**
 * Delivery outcomes of one partition's records, for the KIP-714 per-partition producer metrics
 * (`partition.record.success` / `.failures` / `.retries`, `partition.latency.*`). Counted per
 * batch as it settles, never per record, so the send path pays nothing for them.
 */
export class PartitionDeliveryStats {
  /** Records acknowledged by the broker. */
  succeeded = 0;
  /** Records whose batch failed for good (a non-retriable answer, the delivery timeout, close). */
  failed = 0;
  /** Records sent again after a retriable failure (a batch of n records retried once counts n). */
  retried = 0;
  /**
   * Latency of acknowledged batches (creation to acknowledgement, ms) since the producer
   * started; the telemetry sampler derives the per-push average from two readings.
   */
  private readonly latency = new Summary();

  /** Acknowledged batches whose latency was measured. */
  get latencyCount(): number {
    return this.latency.count;
  }

  /** Their latencies added up, in ms. */
  get latencyTotalMs(): number {
    return this.latency.sum;
  }

  /** The longest of those latencies since the producer started, in ms. */
  get latencyMaxMs(): number {
    return this.latency.max;
  }

  acknowledged(records: number, latencyMs: number): void {
    this.succeeded += records;
    this.latency.record(Math.max(0, latencyMs));
  }
}
