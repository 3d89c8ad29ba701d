/**
 * Share group membership (KIP-932): the share group's adapter over the shared membership engine
 * (group/membership-engine.ts: member id, epoch, join/fence/leave transitions). It builds the
 * ShareGroupHeartbeat request from the engine's state and digests the answers; the consumer drives
 * it through the shared heartbeat driver (group/heartbeat-driver.ts). The coordinator assigns
 * partitions; a share group never revokes cooperatively, so an assignment simply replaces the
 * previous one.
 */

import {
  generateMemberId,
  heartbeatErrorEvent,
  MemberEngine,
  type MemberState,
  type Step,
} from '../group/membership-engine.js';
import type {
  ShareGroupHeartbeatRequest,
  ShareGroupHeartbeatResponse,
} from '../protocol/messages/share-group-heartbeat.js';

export { generateMemberId, type MemberState };

/** What the consumer should do after a heartbeat error. */
export type HeartbeatErrorAction =
  /** find the coordinator again, then heartbeat */
  | 'coordinator'
  /** back off and heartbeat again */
  | 'retry'
  /** the member was fenced: drop the assignment, join again with epoch 0 (same member id) */
  | 'rejoin'
  /** stop the consumer with this error */
  | 'fatal';

export const LEAVE_EPOCH = -1;

/** Assigned partitions by topic id. */
export type TopicIdAssignment = Map<string, number[]>;

/** What a heartbeat error code asks for: the engine's event for it, in the share consumer's words. */
export function classifyHeartbeatError(code: number, retriable: boolean): HeartbeatErrorAction {
  switch (heartbeatErrorEvent(code, retriable)) {
    case 'coordinator-moved':
      return 'coordinator';
    case 'fenced':
      return 'rejoin';
    case 'fatal':
      return 'fatal';
    default:
      return 'retry';
  }
}

export class ShareMembership {
  private readonly engine: MemberEngine;
  private topics: string[] = [];
  private assignmentValue: TopicIdAssignment = new Map();
  /** The step the last event led to, for the heartbeat driver. */
  lastStep: Step | undefined;

  constructor(
    memberId: string = generateMemberId(),
    private readonly rackId: string | null = null,
  ) {
    // 5 s until the coordinator's first answer says otherwise.
    this.engine = new MemberEngine({ memberId, heartbeatIntervalMs: 5000 });
  }

  get memberId(): string {
    return this.engine.memberId;
  }

  get state(): MemberState {
    return this.engine.state;
  }

  get epoch(): number {
    return this.engine.epoch;
  }

  get heartbeatIntervalMs(): number {
    return this.engine.heartbeatIntervalMs;
  }

  get assignment(): TopicIdAssignment {
    return this.assignmentValue;
  }

  get subscription(): readonly string[] {
    return this.topics;
  }

  subscribe(topics: readonly string[]): void {
    const next = [...new Set(topics)].sort();
    if (next.join('\0') === this.topics.join('\0') && this.engine.state !== 'unsubscribed') return;
    this.topics = next;
    this.dispatch('subscribe');
  }

  /** The next heartbeat. Topics and rack go only when joining or after a change, as the protocol asks. */
  request(groupId: string): ShareGroupHeartbeatRequest {
    const leaving = this.engine.state === 'leaving';
    const full = this.engine.sendFull;
    return {
      groupId,
      memberId: this.memberId,
      memberEpoch: leaving ? LEAVE_EPOCH : this.engine.epoch,
      rackId: full && !leaving ? this.rackId : null,
      subscribedTopicNames: full && !leaving ? [...this.topics] : null,
    };
  }

  /**
   * Digests a successful answer (errorCode 0). Returns the new assignment when it changed,
   * otherwise undefined; the consumer calls {@link reconciled} once it applied it.
   */
  onResponse(
    response: ShareGroupHeartbeatResponse,
    sent: ShareGroupHeartbeatRequest,
  ): TopicIdAssignment | undefined {
    if (sent.memberEpoch === LEAVE_EPOCH) {
      this.dispatch('left');
      return undefined;
    }
    if (sent.subscribedTopicNames !== null) this.engine.fullSent();
    let next: TopicIdAssignment | undefined;
    if (response.assignment) {
      next = new Map();
      for (const t of response.assignment.topicPartitions) {
        next.set(
          t.topicId,
          [...t.partitions].sort((a, b) => a - b),
        );
      }
      if (sameAssignment(next, this.assignmentValue)) next = undefined;
    }
    this.dispatch(next ? 'assigned' : 'accepted', response);
    if (next) this.assignmentValue = next;
    return next;
  }

  /** The consumer applied the assignment {@link onResponse} returned. */
  reconciled(): void {
    this.dispatch('reconciled');
  }

  /** A heartbeat that got no answer (connection lost, coordinator lookup failed). */
  unreachable(): Step {
    return this.dispatch(this.engine.state === 'leaving' ? 'left' : 'unreachable');
  }

  /** Digests an error answer or a failed request. */
  onError(code: number, retriable: boolean): HeartbeatErrorAction {
    if (this.engine.state === 'leaving') {
      // leaving is best effort: the coordinator drops us after the session timeout anyway
      this.dispatch('left');
      return 'fatal';
    }
    this.dispatch(heartbeatErrorEvent(code, retriable));
    return classifyHeartbeatError(code, retriable);
  }

  /** Fenced by the coordinator: the assignment is void; join again with epoch 0 and the full subscription. */
  fenced(): void {
    this.dispatch('fenced');
  }

  leave(): void {
    if (this.engine.state === 'left' || this.engine.state === 'unsubscribed') return;
    this.dispatch('leave');
  }

  private dispatch(
    event: Parameters<MemberEngine['dispatch']>[0],
    answer?: ShareGroupHeartbeatResponse,
  ): Step {
    const step = this.engine.dispatch(event, answer);
    if (step.effects.includes('lose-assignment')) this.assignmentValue = new Map();
    this.lastStep = step;
    return step;
  }
}

export function sameAssignment(a: TopicIdAssignment, b: TopicIdAssignment): boolean {
  if (a.size !== b.size) return false;
  for (const [topicId, partitions] of a) {
    const other = b.get(topicId);
    if (!other || other.length !== partitions.length) return false;
    for (let i = 0; i < partitions.length; i++) if (partitions[i] !== other[i]) return false;
  }
  return true;
}
