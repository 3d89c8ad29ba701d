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
  /** Acknowledged batches whose latency was measured. */
  latencyCount = 0;
  /** Their latencies added up, in ms (from the batch's creation to its acknowledgement). */
  latencyTotalMs = 0;
  /** The longest of those latencies since the producer started, in ms. */
  latencyMaxMs = 0;

  acknowledged(records: number, latencyMs: number): void {
    this.succeeded += records;
    const ms = Math.max(0, latencyMs);
    this.latencyCount++;
    this.latencyTotalMs += ms;
    if (ms > this.latencyMaxMs) this.latencyMaxMs = ms;
  }
}
