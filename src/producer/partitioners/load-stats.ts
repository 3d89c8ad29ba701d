/**
 * What the adaptive partitioner (KIP-794) knows about each partition's leader: how many batches
 * wait for each partition, and for how long each broker has had data it could not take. The
 * accumulator feeds it from `ready()` and `drain()`; the partitioner reads it when its sticky
 * partition fills.
 */
export interface PartitionLoad {
  /** Batches of the partition queued or in flight in the accumulator. */
  queuedBatches(topic: string, partition: number): number;
  /** True when `nodeId` had data but took none for longer than the availability timeout. */
  isUnavailable(nodeId: number, now: number): boolean;
}

/**
 * Per broker, the last time it had batches waiting (`readyAt`) and the last time the sender took
 * some (`drainedAt`). A gap longer than `availabilityTimeoutMs` marks a broker that cannot keep
 * up (Java's `partitioner.availability.timeout.ms`); 0 turns the check off, as in Java.
 */
export class NodeDrainStats {
  private readonly readyAt = new Map<number, number>();
  private readonly drainedAt = new Map<number, number>();

  constructor(readonly availabilityTimeoutMs: number) {}

  hadData(nodeId: number, now: number): void {
    if (this.availabilityTimeoutMs <= 0) return;
    this.readyAt.set(nodeId, now);
    // A broker seen for the first time starts as drained now, so it is not unavailable at once.
    if (!this.drainedAt.has(nodeId)) this.drainedAt.set(nodeId, now);
  }

  drained(nodeId: number, now: number): void {
    if (this.availabilityTimeoutMs <= 0) return;
    this.drainedAt.set(nodeId, now);
  }

  isUnavailable(nodeId: number, now: number): boolean {
    if (this.availabilityTimeoutMs <= 0) return false;
    const ready = this.readyAt.get(nodeId);
    const drained = this.drainedAt.get(nodeId);
    if (ready === undefined || drained === undefined) return false;
    // Data waiting now, and nothing taken for longer than the timeout.
    return now - ready < this.availabilityTimeoutMs && ready - drained > this.availabilityTimeoutMs;
  }
}
