/**
 * The heartbeat-membership engine shared by the KIP-848 consumer group and the KIP-932 share group:
 * a pure state machine (no I/O, no timers) over an explicit transition table. Both protocols have
 * the same life: the member generates its id, joins with epoch 0, is given an epoch and an
 * assignment by the coordinator, reconciles it, is fenced (epoch 0 again, assignment lost), and
 * leaves with a negative epoch. What differs (the request's fields, what "reconcile" means, static
 * membership) stays in each protocol's adapter; the timer, coalescing and backoff are in
 * {@link HeartbeatDriver} (heartbeat-driver.ts).
 */

import { randomBytes } from 'node:crypto';
import { Codes } from '../protocol/codes.js';

export type MemberState =
  /** Not subscribed yet: nothing to send. */
  | 'unsubscribed'
  /** Heartbeating with epoch 0 and the full subscription until the coordinator accepts. */
  | 'joining'
  /** Accepted, and what the member owns is what the coordinator assigned. */
  | 'stable'
  /** A new assignment arrived and is being applied; acknowledged once applied. */
  | 'reconciling'
  /** The leave heartbeat (negative epoch) is to be sent or in flight. */
  | 'leaving'
  /** Left (or never joined): nothing to send until subscribed again. */
  | 'left'
  /** A non-retriable error: the member stops. */
  | 'fatal';

export type MemberEvent =
  /** The subscription was set or changed. */
  | 'subscribe'
  /** The application leaves (disconnect, stop). */
  | 'leave'
  /** A heartbeat answer without an error and without a new assignment. */
  | 'accepted'
  /** A heartbeat answer without an error that carries an assignment different from what is owned. */
  | 'assigned'
  /** The adapter applied the assignment (revoked, assigned). */
  | 'reconciled'
  /** UNKNOWN_MEMBER_ID or FENCED_MEMBER_EPOCH: the coordinator no longer knows this member at this epoch. */
  | 'fenced'
  /** NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE: the coordinator must be looked up again. */
  | 'coordinator-moved'
  /** The request never got an answer (connection lost, coordinator lookup failed). */
  | 'unreachable'
  /** A retriable error answer (COORDINATOR_LOAD_IN_PROGRESS, timeouts, ...): same coordinator, later. */
  | 'retriable'
  /** A non-retriable error answer (authorization, group full, invalid request, ...). */
  | 'fatal'
  /** The leave heartbeat was answered, or failed: leaving is best effort either way. */
  | 'left';

/** When the next heartbeat should go, as the driver reads it. */
export type NextBeat =
  /** at the coordinator's heartbeat interval */
  | 'interval'
  /** right away (join, acknowledge, leave) */
  | 'now'
  /** after a short pause that lets the coordinator be found again */
  | 'soon'
  /** after the driver's growing backoff */
  | 'backoff'
  /** no more heartbeats */
  | 'stop'
  /** leave the schedule as it is */
  | 'keep';

/** Side effects a transition asks for; the engine applies the ones on its own state. */
export type Effect =
  /** epoch back to 0 (the next heartbeat is a join) */
  | 'reset-epoch'
  /** the assignment is void: the adapter gives the partitions up without committing */
  | 'lose-assignment'
  /** the next heartbeat carries the full subscription (join fields) */
  | 'send-full'
  /** the adapter forgets the cached coordinator so the next heartbeat looks it up */
  | 'invalidate-coordinator';

export interface Transition {
  readonly to: MemberState;
  readonly effects: readonly Effect[];
  readonly next: NextBeat;
}

const t = (to: MemberState, next: NextBeat, ...effects: Effect[]): Transition => ({ to, next, effects });

/** What every joined state does on an error answer to a regular heartbeat. */
const ERRORS_WHILE_MEMBER = {
  fenced: t('joining', 'now', 'reset-epoch', 'lose-assignment', 'send-full'),
  'coordinator-moved': t('joining', 'soon', 'invalidate-coordinator'),
  unreachable: t('joining', 'backoff', 'invalidate-coordinator'),
  retriable: t('joining', 'backoff'),
  fatal: t('fatal', 'stop'),
} as const;

/**
 * The transition table: for each state, what each event leads to. An event a state does not list
 * changes nothing (for example an answer that arrives after the member left); {@link MemberEngine}
 * reports it as ignored.
 */
export const TRANSITIONS: Readonly<Record<MemberState, Partial<Record<MemberEvent, Transition>>>> = {
  unsubscribed: {
    subscribe: t('joining', 'now', 'send-full'),
    leave: t('left', 'stop'),
  },
  joining: {
    subscribe: t('joining', 'now', 'send-full'),
    accepted: t('stable', 'interval'),
    assigned: t('reconciling', 'interval'),
    ...ERRORS_WHILE_MEMBER,
    // Epoch 0: the coordinator holds nothing of ours that a leave would release.
    leave: t('left', 'stop', 'reset-epoch', 'lose-assignment'),
  },
  stable: {
    subscribe: t('stable', 'now', 'send-full'),
    accepted: t('stable', 'interval'),
    assigned: t('reconciling', 'interval'),
    ...ERRORS_WHILE_MEMBER,
    'coordinator-moved': t('stable', 'soon', 'invalidate-coordinator'),
    unreachable: t('stable', 'backoff', 'invalidate-coordinator'),
    retriable: t('stable', 'backoff'),
    leave: t('leaving', 'now'),
  },
  reconciling: {
    subscribe: t('reconciling', 'now', 'send-full'),
    // An answer while applying: the target is the adapter's; the heartbeat rhythm goes on.
    accepted: t('reconciling', 'interval'),
    assigned: t('reconciling', 'interval'),
    reconciled: t('stable', 'interval'),
    ...ERRORS_WHILE_MEMBER,
    'coordinator-moved': t('reconciling', 'soon', 'invalidate-coordinator'),
    unreachable: t('reconciling', 'backoff', 'invalidate-coordinator'),
    retriable: t('reconciling', 'backoff'),
    leave: t('leaving', 'now'),
  },
  leaving: {
    // Answers to a heartbeat that was in flight when leave() came: the leave still goes.
    accepted: t('leaving', 'now'),
    assigned: t('leaving', 'now'),
    fenced: t('leaving', 'now'),
    'coordinator-moved': t('leaving', 'now', 'invalidate-coordinator'),
    unreachable: t('leaving', 'now', 'invalidate-coordinator'),
    retriable: t('leaving', 'now'),
    fatal: t('leaving', 'now'),
    left: t('left', 'stop', 'reset-epoch', 'lose-assignment'),
  },
  left: {
    subscribe: t('joining', 'now', 'send-full'),
  },
  fatal: {
    leave: t('left', 'stop', 'reset-epoch', 'lose-assignment'),
  },
};

/**
 * The event an error code is, for a regular heartbeat (the leave heartbeat's answer is always
 * `left`). A coordinator that moved or is gone must be looked up again (asking the old broker would
 * be answered the same way forever); one that is still loading its state is the right broker and
 * only needs time.
 */
export function heartbeatErrorEvent(code: number, retriable: boolean): MemberEvent {
  switch (code) {
    case Codes.NONE:
      return 'accepted';
    case Codes.NOT_COORDINATOR:
    case Codes.COORDINATOR_NOT_AVAILABLE:
      return 'coordinator-moved';
    case Codes.COORDINATOR_LOAD_IN_PROGRESS:
      return 'retriable';
    case Codes.UNKNOWN_MEMBER_ID:
    case Codes.FENCED_MEMBER_EPOCH:
      return 'fenced';
    default:
      return retriable ? 'retriable' : 'fatal';
  }
}

/** A member id as KIP-848 and KIP-932 ask the client to generate it: a random UUID in base64url. */
export function generateMemberId(): string {
  return randomBytes(16).toString('base64url');
}

/** The outcome of one event: the transition taken (or none), and the state after it. */
export interface Step extends Transition {
  readonly event: MemberEvent;
  readonly from: MemberState;
  /** True when the state did not list the event: nothing changed. */
  readonly ignored: boolean;
}

/**
 * One member's identity and protocol state. The adapter dispatches events (what it sent was
 * answered, the application subscribed or leaves) and acts on the step's effects and `next`.
 */
export class MemberEngine {
  readonly memberId: string;
  private stateValue: MemberState = 'unsubscribed';
  private epochValue = 0;
  private full = true;
  /** From the coordinator's answers; the adapter's default until the first. */
  heartbeatIntervalMs: number;

  constructor(options: { memberId?: string; heartbeatIntervalMs: number }) {
    this.memberId = options.memberId ?? generateMemberId();
    this.heartbeatIntervalMs = options.heartbeatIntervalMs;
  }

  get state(): MemberState {
    return this.stateValue;
  }

  get epoch(): number {
    return this.epochValue;
  }

  /** True while the coordinator has accepted this member (it holds an epoch). */
  get joined(): boolean {
    return this.stateValue === 'stable' || this.stateValue === 'reconciling';
  }

  /** The next heartbeat carries the join fields (epoch 0, or the subscription changed since it was last sent). */
  get sendFull(): boolean {
    return this.full || this.epochValue === 0;
  }

  /** The join fields went out in a heartbeat that was answered without error. */
  fullSent(): void {
    this.full = false;
  }

  /**
   * Applies an event. `answer` carries the epoch and heartbeat interval of an answer without error
   * (`accepted`, `assigned`).
   */
  dispatch(event: MemberEvent, answer?: { memberEpoch: number; heartbeatIntervalMs: number }): Step {
    const from = this.stateValue;
    const transition = TRANSITIONS[from][event];
    if (!transition) return { event, from, to: from, effects: [], next: 'keep', ignored: true };
    if (answer && from !== 'leaving') {
      this.epochValue = answer.memberEpoch;
      if (answer.heartbeatIntervalMs > 0) this.heartbeatIntervalMs = answer.heartbeatIntervalMs;
    }
    for (const effect of transition.effects) {
      if (effect === 'reset-epoch') this.epochValue = 0;
      else if (effect === 'send-full') this.full = true;
    }
    this.stateValue = transition.to;
    return { ...transition, event, from, ignored: false };
  }
}
