/**
 * Reuses the memory of encoded record batches. A fresh 256 KiB buffer per batch is a fresh
 * allocation whose pages the kernel must fault in and zero on first write, which cost more CPU
 * than encoding the records into it; a batch acknowledged on its first attempt gives its memory
 * back here for the next batch.
 *
 * Only memory handed out by `allocate` comes back, and only when nothing can read it any more:
 * the sender releases a batch's bytes once the broker answered the one request that carried them.
 */
export class BatchBuffers {
  private readonly free: ArrayBuffer[] = [];
  private readonly own = new WeakSet<ArrayBuffer>();

  /**
   * @param capacity bytes of each pooled buffer (the producer's batch size): larger batches get
   *   memory of their own.
   * @param maxFree buffers kept for reuse at most; more are left to the garbage collector. One
   *   broker's five requests in flight of six partitions' batches already hold 30: with fewer,
   *   a burst of acknowledgements dropped memory that the next requests then had to fault in.
   */
  constructor(
    private readonly capacity: number,
    private readonly maxFree = 32,
  ) {}

  /** `size` bytes, uninitialized: pooled memory when it fits. */
  readonly allocate = (size: number): Buffer => {
    if (size > this.capacity) return Buffer.allocUnsafe(size);
    let memory = this.free.pop();
    if (memory === undefined) {
      memory = new ArrayBuffer(this.capacity);
      this.own.add(memory);
    }
    return Buffer.from(memory, 0, size);
  };

  /** Gives back the memory behind `buf` if it came from `allocate` (anything else is ignored). */
  release(buf: Buffer): void {
    const memory = buf.buffer;
    if (!(memory instanceof ArrayBuffer) || !this.own.has(memory)) return;
    if (this.free.length < this.maxFree && !this.free.includes(memory)) this.free.push(memory);
  }
}
