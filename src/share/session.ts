/**
 * Share session bookkeeping (KIP-932): one session per (share group member, broker). Pure.
 *
 * The first ShareFetch opens the session with epoch 0 and names every partition; later requests
 * carry the next epoch and only what changed (partitions to add, partitions to forget). Each answer
 * the broker accepted moves the epoch on (wrapping from 2^31-1 to 1); an answer that says the
 * session is gone or the epoch is wrong, or a request whose fate is unknown (a broken connection),
 * resets it to 0 so that the next request opens a new one. Epoch -1 closes the session.
 */

import { Codes } from '../protocol/codes.js';

export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;
const MAX_EPOCH = 0x7fffffff;

export interface SessionPartition {
  topicId: string;
  partition: number;
}

export interface SessionRequestPlan {
  epoch: number;
  /** Partitions to send in `topics` (new to the session; the caller adds those carrying acknowledgements). */
  add: SessionPartition[];
  /** Partitions to send in `forgottenTopicsData`. */
  forget: SessionPartition[];
}

/** SHARE_SESSION_NOT_FOUND, INVALID_SHARE_SESSION_EPOCH: the broker no longer knows this session as we do. */
export const SESSION_RESET_CODES: ReadonlySet<number> = new Set<number>([
  Codes.SHARE_SESSION_NOT_FOUND,
  Codes.INVALID_SHARE_SESSION_EPOCH,
]);

const key = (p: SessionPartition) => `${p.topicId}:${p.partition}`;

export function nextEpoch(epoch: number): number {
  return epoch >= MAX_EPOCH ? 1 : epoch + 1;
}

export class ShareSessionState {
  private epochValue = INITIAL_EPOCH;
  /** Partitions the broker has in the session (after an accepted request). */
  private readonly members = new Map<string, SessionPartition>();
  /** A request is on the wire: its plan, applied when it succeeds. */
  private inFlight: SessionRequestPlan | undefined;

  get epoch(): number {
    return this.epochValue;
  }

  /** Whether the broker has (or may have) a session for us: closing it is worth a request. */
  get isOpen(): boolean {
    return this.epochValue !== INITIAL_EPOCH;
  }

  get partitions(): SessionPartition[] {
    return [...this.members.values()];
  }

  /** The epoch, additions and removals of the next ShareFetch that should fetch from `wanted`. */
  plan(wanted: readonly SessionPartition[]): SessionRequestPlan {
    if (this.inFlight) throw new Error('a share session has one request in flight at a time');
    const wantedKeys = new Set(wanted.map(key));
    const add =
      this.epochValue === INITIAL_EPOCH ? [...wanted] : wanted.filter((p) => !this.members.has(key(p)));
    const forget =
      this.epochValue === INITIAL_EPOCH
        ? []
        : [...this.members.values()].filter((p) => !wantedKeys.has(key(p)));
    this.inFlight = { epoch: this.epochValue, add, forget };
    return this.inFlight;
  }

  /** A request that changes no partitions (a ShareAcknowledge) at the current epoch, or -1 to close. */
  planAcknowledge(close = false): SessionRequestPlan {
    if (this.inFlight) throw new Error('a share session has one request in flight at a time');
    this.inFlight = { epoch: close ? FINAL_EPOCH : this.epochValue, add: [], forget: [] };
    return this.inFlight;
  }

  /** The broker accepted the planned request. */
  succeeded(): void {
    const plan = this.inFlight;
    this.inFlight = undefined;
    if (!plan) return;
    if (plan.epoch === FINAL_EPOCH) {
      this.reset();
      return;
    }
    if (plan.epoch === INITIAL_EPOCH) this.members.clear();
    for (const p of plan.add) this.members.set(key(p), p);
    for (const p of plan.forget) this.members.delete(key(p));
    this.epochValue = nextEpoch(plan.epoch);
  }

  /**
   * The planned request failed. With a session-level error code (or none: the request's fate is
   * unknown) the session starts over; other top-level errors leave the epoch unchanged because
   * the broker did not move it.
   */
  failed(errorCode?: number): void {
    this.inFlight = undefined;
    if (errorCode === undefined || SESSION_RESET_CODES.has(errorCode)) this.reset();
  }

  reset(): void {
    this.inFlight = undefined;
    this.epochValue = INITIAL_EPOCH;
    this.members.clear();
  }
}
