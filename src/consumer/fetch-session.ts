/**
 * Client side of an incremental fetch session (KIP-227), for one broker.
 *
 * The first request of a session is a full fetch (session id 0, epoch 0) listing every
 * partition; the broker answers with a session id. Later requests carry the id and the next
 * epoch and list only partitions that are new or whose fetch parameters changed, plus the
 * partitions to drop ("forgotten"). The broker remembers the rest. The state below moves only
 * when a response arrives: a request that failed leaves the session as it was, and a session
 * error (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH) or a lost connection resets
 * it to a full fetch.
 */

import { Codes } from '../protocol/codes.js';

export const INITIAL_EPOCH = 0;
/** Epoch that closes a session (used on shutdown, or for a sessionless full fetch). */
export const FINAL_EPOCH = -1;

export const FETCH_SESSION_ID_NOT_FOUND = Codes.FETCH_SESSION_ID_NOT_FOUND;
export const INVALID_FETCH_SESSION_EPOCH = Codes.INVALID_FETCH_SESSION_EPOCH;

export interface FetchPartitionParams {
  topic: string;
  partition: number;
  fetchOffset: number;
  currentLeaderEpoch: number;
  logStartOffset: number;
  partitionMaxBytes: number;
}

export interface FetchSessionRequest {
  sessionId: number;
  sessionEpoch: number;
  /** True when every wanted partition is listed (a full fetch). */
  full: boolean;
  partitions: FetchPartitionParams[];
  forgotten: Array<{ topic: string; partition: number }>;
  /** Everything wanted by this request, whether listed or remembered by the broker. */
  wanted: Map<string, FetchPartitionParams>;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function sameParams(a: FetchPartitionParams, b: FetchPartitionParams): boolean {
  return (
    a.fetchOffset === b.fetchOffset &&
    a.currentLeaderEpoch === b.currentLeaderEpoch &&
    a.logStartOffset === b.logStartOffset &&
    a.partitionMaxBytes === b.partitionMaxBytes
  );
}

export class FetchSession {
  sessionId = 0;
  epoch = INITIAL_EPOCH;
  /** What the broker's session holds, as of the last successful response. */
  private known = new Map<string, FetchPartitionParams>();

  constructor(
    /** False for brokers or versions without sessions (Fetch < v7): always full, sessionless. */
    private readonly enabled = true,
  ) {}

  /** Builds the next request for the partitions wanted now. */
  build(partitions: readonly FetchPartitionParams[]): FetchSessionRequest {
    const wanted = new Map<string, FetchPartitionParams>();
    for (const p of partitions) wanted.set(keyOf(p.topic, p.partition), p);
    if (!this.enabled) {
      return {
        sessionId: 0,
        sessionEpoch: FINAL_EPOCH,
        full: true,
        partitions: [...partitions],
        forgotten: [],
        wanted,
      };
    }
    if (this.sessionId === 0 || this.epoch === INITIAL_EPOCH) {
      return {
        sessionId: 0,
        sessionEpoch: INITIAL_EPOCH,
        full: true,
        partitions: [...partitions],
        forgotten: [],
        wanted,
      };
    }
    const changed: FetchPartitionParams[] = [];
    for (const [k, p] of wanted) {
      const prev = this.known.get(k);
      if (prev === undefined || !sameParams(prev, p)) changed.push(p);
    }
    const forgotten: Array<{ topic: string; partition: number }> = [];
    for (const [k, p] of this.known)
      if (!wanted.has(k)) forgotten.push({ topic: p.topic, partition: p.partition });
    return {
      sessionId: this.sessionId,
      sessionEpoch: this.epoch,
      full: false,
      partitions: changed,
      forgotten,
      wanted,
    };
  }

  /**
   * Applies a response's top-level error code and session id. Returns true when the response
   * can be used; false when the session was reset and the caller should simply fetch again.
   */
  handleResponse(request: FetchSessionRequest, errorCode: number, responseSessionId: number): boolean {
    if (!this.enabled) return errorCode === 0;
    if (errorCode === FETCH_SESSION_ID_NOT_FOUND || errorCode === INVALID_FETCH_SESSION_EPOCH) {
      this.reset();
      return false;
    }
    if (errorCode !== 0) {
      this.reset();
      return false;
    }
    if (request.full) {
      this.sessionId = responseSessionId;
      // A zero id means the broker would not cache a session: keep sending full fetches.
      this.epoch = responseSessionId === 0 ? INITIAL_EPOCH : nextEpoch(INITIAL_EPOCH);
    } else {
      this.epoch = nextEpoch(this.epoch);
    }
    this.known = request.wanted;
    return true;
  }

  /** Forgets the session (a lost connection, a leader move, a session error). */
  reset(): void {
    this.sessionId = 0;
    this.epoch = INITIAL_EPOCH;
    this.known = new Map();
  }

  get partitionCount(): number {
    return this.known.size;
  }
}

/** Epochs run 1..2^31-1 and wrap to 1 (0 is reserved for a new session). */
export function nextEpoch(epoch: number): number {
  if (epoch < 0) return FINAL_EPOCH;
  return epoch === 0x7fffffff ? 1 : epoch + 1;
}
