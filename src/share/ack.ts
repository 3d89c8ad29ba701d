/**
 * Acknowledgement bookkeeping for share groups (KIP-932): which acquired records have been
 * acknowledged, how, and how to send them as the protocol's offset ranges. Pure: no I/O, no timers
 * (the caller passes `now`).
 */
import { KafkaJSShareAlreadyAcknowledgedError, KafkaJSShareLockExpiredError } from './errors.js';

/** The acknowledgement types of ShareFetch/ShareAcknowledge, as the protocol numbers them. */
export const AckType = {
  /** An offset inside an acquired range with no record for the client (control record, compacted away). */
  GAP: 0,
  ACCEPT: 1,
  RELEASE: 2,
  REJECT: 3,
  /** Extends the acquisition lock (KIP-1222); the record stays acquired. */
  RENEW: 4,
} as const;
export type AckTypeCode = (typeof AckType)[keyof typeof AckType];

/** What a handler may pass to `acknowledge()`. */
export type AcknowledgeType = 'accept' | 'release' | 'reject' | 'renew';

const NAMED: Record<AcknowledgeType, AckTypeCode> = {
  accept: AckType.ACCEPT,
  release: AckType.RELEASE,
  reject: AckType.REJECT,
  renew: AckType.RENEW,
};

export function ackTypeCode(type: AcknowledgeType): AckTypeCode | undefined {
  return Object.hasOwn(NAMED, type) ? NAMED[type] : undefined;
}

/** One element of `AcknowledgementBatches`: offsets `firstOffset..lastOffset` and their types. */
export interface AckBatch {
  firstOffset: bigint;
  lastOffset: bigint;
  /** One type for the whole range, or one per offset. */
  acknowledgeTypes: number[];
}

/**
 * Turns (offset, type) pairs into the fewest ranges: consecutive offsets with the same type become
 * one batch with a single type. Input need not be sorted; an offset given twice keeps the last.
 */
export function toAckBatches(acks: Iterable<readonly [offset: number, type: number]>): AckBatch[] {
  const byOffset = new Map<number, number>();
  for (const [offset, type] of acks) byOffset.set(offset, type);
  const offsets = [...byOffset.keys()].sort((a, b) => a - b);
  const batches: AckBatch[] = [];
  let start = -1;
  let prev = -1;
  let type = -1;
  for (const offset of offsets) {
    const t = byOffset.get(offset)!;
    if (start >= 0 && offset === prev + 1 && t === type) {
      prev = offset;
      continue;
    }
    if (start >= 0)
      batches.push({ firstOffset: BigInt(start), lastOffset: BigInt(prev), acknowledgeTypes: [type] });
    start = offset;
    prev = offset;
    type = t;
  }
  if (start >= 0)
    batches.push({ firstOffset: BigInt(start), lastOffset: BigInt(prev), acknowledgeTypes: [type] });
  return batches;
}

/** Where an acquired record stands. */
interface Held {
  /** Date.now() after which the broker has released the record (the acquisition lock expired). */
  deadline: number;
  /** The final type once acknowledged (ACCEPT, RELEASE, REJECT, GAP); undefined while still held. */
  type: number | undefined;
  /** A renew was asked for and not yet sent. */
  renew: boolean;
  deliveryCount: number;
}

/** The outcome of draining one partition's acknowledgements. */
export interface DrainedAcks {
  batches: AckBatch[];
  /** Offsets whose acknowledgement was dropped because the lock had expired before it could be sent. */
  expired: number[];
  /** The offsets in `batches`, in order, for reporting. */
  offsets: number[];
}

/**
 * The records one partition has acquired for this consumer and their acknowledgements. Records
 * enter with {@link acquire}; a handler's acknowledgement is recorded with {@link acknowledge}
 * (once: a second final acknowledgement is an error); {@link drain} hands the pending ones over
 * for sending and forgets them.
 *
 * A record whose acquisition lock has expired belongs to the broker again: it may already be
 * delivered to another consumer. Acknowledging it afterwards is an error, and an acknowledgement
 * recorded in time but not yet sent when the lock runs out is dropped at drain time, never sent
 * late as if it were still valid.
 */
export class PartitionAcks {
  private readonly held = new Map<number, Held>();
  private pending = 0;
  private renewals = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Records acquired by a fetch, with the lock's end. Re-acquiring an offset (a redelivery) resets it. */
  acquire(offset: number, deadline: number, deliveryCount: number): void {
    const prev = this.held.get(offset);
    if (prev?.type !== undefined) this.pending--;
    if (prev?.renew) this.renewals--;
    this.held.set(offset, { deadline, type: undefined, renew: false, deliveryCount });
  }

  /** Marks an acquired offset that carries no record for the client: acknowledged as a gap. */
  gap(offset: number, deadline: number): void {
    this.acquire(offset, deadline, 0);
    this.held.get(offset)!.type = AckType.GAP;
    this.pending++;
  }

  isHeld(offset: number): boolean {
    const h = this.held.get(offset);
    return h !== undefined && h.type === undefined;
  }

  isAcknowledged(offset: number): boolean {
    const h = this.held.get(offset);
    return h !== undefined && h.type !== undefined;
  }

  deadlineOf(offset: number): number | undefined {
    return this.held.get(offset)?.deadline;
  }

  /**
   * Records a handler's acknowledgement. Throws {@link KafkaJSShareAlreadyAcknowledgedError} when
   * the record was already acknowledged (or was never acquired here), and
   * {@link KafkaJSShareLockExpiredError} when its lock has expired (the record is then forgotten).
   */
  acknowledge(offset: number, type: AckTypeCode, now: number): void {
    const h = this.held.get(offset);
    if (!h || h.type !== undefined) {
      throw new KafkaJSShareAlreadyAcknowledgedError(this.topic, this.partition, offset);
    }
    if (now >= h.deadline) {
      this.forget(offset);
      throw new KafkaJSShareLockExpiredError(this.topic, this.partition, offset);
    }
    if (type === AckType.RENEW) {
      if (!h.renew) this.renewals++;
      h.renew = true;
      return;
    }
    if (h.renew) {
      h.renew = false;
      this.renewals--;
    }
    h.type = type;
    this.pending++;
  }

  /** Extends the lock of renewed records (the broker answered a renew with a new lock duration). */
  renewed(offsets: Iterable<number>, deadline: number): void {
    for (const o of offsets) {
      const h = this.held.get(o);
      if (h) h.deadline = deadline;
    }
  }

  /** Acknowledgements ready to send. */
  get pendingCount(): number {
    return this.pending;
  }

  /** Renewals ready to send. */
  get renewCount(): number {
    return this.renewals;
  }

  /** Records acquired and not yet acknowledged. */
  get heldCount(): number {
    let n = 0;
    for (const h of this.held.values()) if (h.type === undefined) n++;
    return n;
  }

  /**
   * Removes and returns the acknowledgements to send now (with `renew`, the renewals too, which
   * stay held). Those whose lock expired are dropped and listed in `expired`.
   */
  drain(now: number, options: { renew?: boolean } = {}): DrainedAcks {
    const out: Array<[number, number]> = [];
    const expired: number[] = [];
    for (const [offset, h] of this.held) {
      if (h.type !== undefined) {
        if (now >= h.deadline) expired.push(offset);
        else out.push([offset, h.type]);
        this.held.delete(offset);
        this.pending--;
      } else if (options.renew && h.renew) {
        h.renew = false;
        this.renewals--;
        if (now >= h.deadline) {
          expired.push(offset);
          this.held.delete(offset);
        } else out.push([offset, AckType.RENEW]);
      }
    }
    out.sort((a, b) => a[0] - b[0]);
    return { batches: toAckBatches(out), expired, offsets: out.map((o) => o[0]) };
  }

  /** Drops records whose lock has expired without an acknowledgement; returns their offsets. */
  expire(now: number): number[] {
    const gone: number[] = [];
    for (const [offset, h] of this.held) {
      if (h.type === undefined && now >= h.deadline) {
        gone.push(offset);
        this.forget(offset);
      }
    }
    return gone;
  }

  /** Forgets everything (the session or the assignment is gone: the broker releases what was held). */
  clear(): number[] {
    const offsets = [...this.held.keys()];
    this.held.clear();
    this.pending = 0;
    this.renewals = 0;
    return offsets;
  }

  private forget(offset: number): void {
    const h = this.held.get(offset);
    if (!h) return;
    if (h.type !== undefined) this.pending--;
    if (h.renew) this.renewals--;
    this.held.delete(offset);
  }
}
