/**
 * Counters behind `producer.metrics()` and `consumer.metrics()`. Updating them costs a few
 * additions per batch (never per record); snapshots are computed on demand.
 */

const BUCKET_MS = 1000;
const BUCKETS = 10;

/** Events per second over the last ~10 s, in one-second buckets (no timers, no allocation). */
export class WindowedRate {
  private readonly counts = new Float64Array(BUCKETS);
  private readonly ids = new Float64Array(BUCKETS).fill(-1);
  private readonly startedAt: number;

  constructor(now = Date.now()) {
    this.startedAt = now;
  }

  add(n: number, now = Date.now()): void {
    const id = Math.floor(now / BUCKET_MS);
    const i = id % BUCKETS;
    if (this.ids[i] !== id) {
      this.ids[i] = id;
      this.counts[i] = 0;
    }
    this.counts[i]! += n;
  }

  /** Per second, over the window (or since creation when younger than the window). */
  rate(now = Date.now()): number {
    const id = Math.floor(now / BUCKET_MS);
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const bucket = this.ids[i]!;
      if (bucket > id - BUCKETS && bucket <= id) sum += this.counts[i]!;
    }
    const windowMs = Math.min(BUCKETS * BUCKET_MS, Math.max(now - this.startedAt, 1));
    return (sum * 1000) / windowMs;
  }
}

/** Count, average and maximum of a series (batch sizes, durations). */
export class Summary {
  count = 0;
  sum = 0;
  max = 0;
  last = 0;

  record(v: number): void {
    this.count++;
    this.sum += v;
    this.last = v;
    if (v > this.max) this.max = v;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}

/** What `producer.metrics()` returns: counters since the producer was created and live gauges. */
export interface ProducerMetricsSnapshot {
  /** When the snapshot was taken, in milliseconds since the epoch. */
  timestamp: number;
  /** Records appended by send()/sendBatch() since creation. */
  recordsSent: number;
  /** Records appended per second over the last ~10 s. */
  recordsPerSecond: number;
  /** Bytes (uncompressed upper bound) appended per second over the last ~10 s. */
  bytesPerSecond: number;
  /** send()/sendBatch() calls that failed. */
  sendErrors: number;
  /** Per-partition record batches written into Produce requests (a retried batch counts again). */
  batches: {
    /** Batches written. */
    count: number;
    /** Mean records per batch. */
    avgRecords: number;
    /** Most records in one batch. */
    maxRecords: number;
    /** Mean batch size in bytes. */
    avgBytes: number;
    /** Largest batch size in bytes. */
    maxBytes: number;
  };
  /** Produce requests. */
  requests: {
    /** Produce requests sent since creation. */
    sent: number;
    /** Produce requests sent and not yet answered, now. */
    inFlight: number;
  };
  /**
   * Milliseconds from a batch's creation to its first Produce request (Java's record queue time),
   * over every batch sent since creation.
   */
  recordQueueTime: {
    /** Batches whose queue time was measured. */
    count: number;
    /** Their queue times added up, in ms. */
    totalMs: number;
    /** The mean queue time, in ms. */
    avgMs: number;
    /** The longest queue time since the producer started, in ms. */
    maxMs: number;
  };
  /** The buffer memory that queued records take (the `bufferMemory` option), now. */
  buffer: {
    /** Bytes reserved by queued and in-flight records. */
    usedBytes: number;
    /** The `bufferMemory` limit in bytes. */
    limitBytes: number;
    /** usedBytes / limitBytes, from 0 to 1. */
    utilization: number;
    /** Sends blocked waiting for buffer memory to free up. */
    waitingSends: number;
  };
  /**
   * The `throttleTimeMs` of every Produce response since creation (0 when the broker did not
   * throttle; acks=0 requests have no response and are not counted).
   */
  produceThrottleTime: {
    /** Produce responses received. */
    count: number;
    /** Their throttle times added up, in ms. */
    totalMs: number;
    /** The mean throttle time, in ms. */
    avgMs: number;
    /** The longest throttle time since the producer started, in ms. */
    maxMs: number;
  };
  /** Every partition the producer has written to (KIP-714's per-partition metrics). */
  partitions: ProducerPartitionMetrics[];
}

/**
 * One partition as the producer sees it (KIP-714's per-partition producer metrics): what waits
 * in its queue and what became of its records since the producer started.
 */
export interface ProducerPartitionMetrics {
  /** Topic of the partition. */
  topic: string;
  /** Partition index within the topic. */
  partition: number;
  /** Records in batches waiting to be sent (batches in flight are not counted). */
  queuedRecords: number;
  /** Bytes of those batches (record batch size as written, before compression). */
  queuedBytes: number;
  /** Records the broker acknowledged. */
  recordsSucceeded: number;
  /** Records whose batch failed for good (non-retriable answer, delivery timeout, close). */
  recordsFailed: number;
  /** Records sent again after a retriable failure, once per retry. */
  recordsRetried: number;
  /** From a batch's creation to its acknowledgement, over every acknowledged batch. */
  latency: {
    /** Acknowledged batches. */
    count: number;
    /** Their latencies added up, in ms. */
    totalMs: number;
    /** The longest since the producer started, in ms. */
    maxMs: number;
  };
}

/** The producer's counters. */
export class ProducerMetricsRecorder {
  recordsSent = 0;
  sendErrors = 0;
  requestsSent = 0;
  readonly batchRecords = new Summary();
  readonly batchBytes = new Summary();
  readonly queueTime = new Summary();
  readonly throttleTime = new Summary();
  private readonly recordRate: WindowedRate;
  private readonly byteRate: WindowedRate;

  constructor(now = Date.now()) {
    this.recordRate = new WindowedRate(now);
    this.byteRate = new WindowedRate(now);
  }

  appended(records: number, bytes: number, now = Date.now()): void {
    this.recordsSent += records;
    this.recordRate.add(records, now);
    this.byteRate.add(bytes, now);
  }

  requestSent(
    batches: ReadonlyArray<{ recordCount: number; sizeBytes: number; createdAt?: number; attempts?: number }>,
    now = Date.now(),
  ): void {
    this.requestsSent++;
    for (const b of batches) {
      this.batchRecords.record(b.recordCount);
      this.batchBytes.record(b.sizeBytes);
      // A retried batch waited for the retry, not in the queue: only first attempts count.
      if (b.createdAt !== undefined && !b.attempts) this.queueTime.record(Math.max(0, now - b.createdAt));
    }
  }

  /** A Produce response arrived with this throttle time (Java's produce-throttle-time). */
  responseThrottled(throttleTimeMs: number): void {
    this.throttleTime.record(Math.max(0, throttleTimeMs));
  }

  snapshot(
    live: {
      inFlight: number;
      bufferUsed: number;
      bufferLimit: number;
      waiting: number;
      partitions?: ProducerPartitionMetrics[];
    },
    now = Date.now(),
  ): ProducerMetricsSnapshot {
    return {
      timestamp: now,
      recordsSent: this.recordsSent,
      recordsPerSecond: this.recordRate.rate(now),
      bytesPerSecond: this.byteRate.rate(now),
      sendErrors: this.sendErrors,
      batches: {
        count: this.batchRecords.count,
        avgRecords: this.batchRecords.avg,
        maxRecords: this.batchRecords.max,
        avgBytes: this.batchBytes.avg,
        maxBytes: this.batchBytes.max,
      },
      requests: { sent: this.requestsSent, inFlight: live.inFlight },
      recordQueueTime: {
        count: this.queueTime.count,
        totalMs: this.queueTime.sum,
        avgMs: this.queueTime.avg,
        maxMs: this.queueTime.max,
      },
      buffer: {
        usedBytes: live.bufferUsed,
        limitBytes: live.bufferLimit,
        utilization: live.bufferLimit > 0 ? live.bufferUsed / live.bufferLimit : 0,
        waitingSends: live.waiting,
      },
      produceThrottleTime: {
        count: this.throttleTime.count,
        totalMs: this.throttleTime.sum,
        avgMs: this.throttleTime.avg,
        maxMs: this.throttleTime.max,
      },
      partitions: live.partitions ?? [],
    };
  }
}

/** The consumer's lag on one assigned partition, as its metrics report it. */
export interface PartitionLag {
  /** Topic name. */
  topic: string;
  /** Partition index. */
  partition: number;
  /** The partition's high watermark as of the last fetch that returned records. */
  highWatermark: number;
  /** The next offset the consumer will process. */
  position: number;
  /** highWatermark − position, never negative. */
  lag: number;
  /** When the position was last updated, in milliseconds since the epoch. */
  updatedAt: number;
}

/** What `consumer.metrics()` returns: the consumer's counters at one moment. */
export interface ConsumerMetricsSnapshot {
  /** When the snapshot was taken (milliseconds since the epoch). */
  timestamp: number;
  /** Records handed to eachMessage/eachBatch (skipped undeserializable records excluded). */
  recordsConsumed: number;
  /** Records handed to the handlers per second over the last ~10 s. */
  recordsPerSecond: number;
  /** Fetched batches handed to the runner: records per batch. */
  batches: {
    /** Batches handed to the runner since creation. */
    count: number;
    /** Mean records per batch. */
    avgRecords: number;
    /** Largest batch, in records. */
    maxRecords: number;
  };
  /** Handler calls (eachMessage / eachBatch) in progress now. */
  inFlightHandlers: number;
  /** Per assigned partition that delivered records, sorted by topic then partition. */
  lag: PartitionLag[];
  /** Sum of the lags of `lag`, in records. */
  totalLag: number;
  /** Offset commits since creation. */
  commits: {
    /** Commits that succeeded. */
    count: number;
    /** Commits that failed. */
    failed: number;
  };
  /** Group (re)joins since creation and how long they took. */
  rebalances: {
    /** Completed (re)joins. */
    count: number;
    /** Whether a rebalance is under way now. */
    inProgress: boolean;
    /** Milliseconds the last rebalance took (0 before the first). */
    lastDurationMs: number;
    /** Mean milliseconds per rebalance. */
    avgDurationMs: number;
    /** Longest rebalance in milliseconds. */
    maxDurationMs: number;
  };
  /** Records whose key or value deserializer threw since creation. */
  deserializationErrors: number;
  /**
   * How the run loop waits for records (Java's poll-idle-ratio and last-poll-seconds-ago): a
   * poll is one wait for fetched batches; the time between two polls is spent in the handlers.
   */
  poll: {
    /** Polls completed since creation. */
    count: number;
    /**
     * Each poll's idle ratio added up: the time it waited divided by the time since the
     * previous poll started (1 = always waiting for records, 0 = always in the handlers).
     */
    idleRatioTotal: number;
    /** The mean idle ratio over every poll since creation (0 before the first poll). */
    idleRatioAvg: number;
    /** When the last poll started (ms since the epoch), or null before the first poll. */
    lastPollAt: number | null;
  };
}

/** The consumer's counters. */
export class ConsumerMetricsRecorder {
  recordsConsumed = 0;
  inFlightHandlers = 0;
  commits = 0;
  commitFailures = 0;
  deserializationErrors = 0;
  rebalanceStartedAt: number | undefined;
  readonly batchRecords = new Summary();
  readonly rebalanceDurations = new Summary();
  readonly pollIdleRatio = new Summary();
  private pollStartedAt: number | null = null;
  private previousPollStartedAt: number | null = null;
  private readonly recordRate: WindowedRate;
  private readonly lags = new Map<string, PartitionLag>();

  constructor(now = Date.now()) {
    this.recordRate = new WindowedRate(now);
  }

  batchStarted(records: number): void {
    this.batchRecords.record(records);
  }

  processed(records: number, now = Date.now()): void {
    this.recordsConsumed += records;
    this.recordRate.add(records, now);
  }

  /** After records up to `position - 1` were handled, with the high watermark their fetch reported. */
  position(
    topic: string,
    partition: number,
    position: number,
    highWatermark: number,
    now = Date.now(),
  ): void {
    const key = `${topic}\u0000${partition}`;
    let entry = this.lags.get(key);
    if (entry === undefined) {
      entry = { topic, partition, highWatermark, position, lag: 0, updatedAt: now };
      this.lags.set(key, entry);
    }
    entry.highWatermark = Math.max(entry.highWatermark, highWatermark);
    entry.position = position;
    entry.lag = Math.max(0, entry.highWatermark - position);
    entry.updatedAt = now;
  }

  /** The run loop starts waiting for fetched batches (one clock read per poll, not per record). */
  pollStarted(now = Date.now()): void {
    this.previousPollStartedAt = this.pollStartedAt;
    this.pollStartedAt = now;
  }

  /** The wait ended: records the share of the cycle since the previous poll spent waiting. */
  pollEnded(now = Date.now()): void {
    const started = this.pollStartedAt;
    if (started === null) return;
    const waited = Math.max(0, now - started);
    // The cycle runs from the previous poll's start (handlers ran in between) to now; the
    // first poll has no previous one, so it was all waiting.
    const cycle = this.previousPollStartedAt === null ? waited : now - this.previousPollStartedAt;
    this.pollIdleRatio.record(cycle > 0 ? Math.min(1, waited / cycle) : 1);
  }

  rebalanceStarted(now = Date.now()): void {
    if (this.rebalanceStartedAt === undefined) this.rebalanceStartedAt = now;
  }

  /** A (re)join completed; `durationMs` when the group layer measured it. */
  rebalanceEnded(durationMs: number | undefined, now = Date.now()): void {
    const measured =
      durationMs ?? (this.rebalanceStartedAt === undefined ? 0 : now - this.rebalanceStartedAt);
    this.rebalanceStartedAt = undefined;
    this.rebalanceDurations.record(Math.max(0, measured));
  }

  snapshot(
    isAssigned: (topic: string, partition: number) => boolean,
    now = Date.now(),
  ): ConsumerMetricsSnapshot {
    const lag: PartitionLag[] = [];
    let totalLag = 0;
    for (const [key, entry] of this.lags) {
      if (!isAssigned(entry.topic, entry.partition)) {
        this.lags.delete(key);
        continue;
      }
      lag.push({ ...entry });
      totalLag += entry.lag;
    }
    lag.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    const d = this.rebalanceDurations;
    return {
      timestamp: now,
      recordsConsumed: this.recordsConsumed,
      recordsPerSecond: this.recordRate.rate(now),
      batches: {
        count: this.batchRecords.count,
        avgRecords: this.batchRecords.avg,
        maxRecords: this.batchRecords.max,
      },
      inFlightHandlers: this.inFlightHandlers,
      lag,
      totalLag,
      commits: { count: this.commits, failed: this.commitFailures },
      rebalances: {
        count: d.count,
        inProgress: this.rebalanceStartedAt !== undefined,
        lastDurationMs: d.last,
        avgDurationMs: d.avg,
        maxDurationMs: d.max,
      },
      deserializationErrors: this.deserializationErrors,
      poll: {
        count: this.pollIdleRatio.count,
        idleRatioTotal: this.pollIdleRatio.sum,
        idleRatioAvg: this.pollIdleRatio.avg,
        lastPollAt: this.pollStartedAt,
      },
    };
  }
}
