/**
 * Share group membership (KIP-932): the ShareGroupHeartbeat state machine, pure. The consumer
 * drives it: `request()` builds the next heartbeat, `onResponse()`/`onError()` digest the answer
 * and say what to do next. The coordinator assigns partitions; a share group never revokes
 * cooperatively, so an assignment simply replaces the previous one.
 */

import { randomBytes } from 'node:crypto';
import { Codes } from '../protocol/codes.js';
import type {
  ShareGroupHeartbeatRequest,
  ShareGroupHeartbeatResponse,
} from '../protocol/messages/share-group-heartbeat.js';

export type MemberState = 'unsubscribed' | 'joining' | 'stable' | 'leaving' | 'left' | 'fatal';

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

/** A member id as the consumer must generate it: a random UUID in Kafka's base64url text. */
export function generateMemberId(): string {
  return randomBytes(16).toString('base64url');
}

/** Assigned partitions by topic id. */
export type TopicIdAssignment = Map<string, number[]>;

/**
 * What a heartbeat error code asks for. A coordinator that moved or is gone must be looked up
 * again (asking the old broker would be answered the same way forever); one that is still loading
 * its state is the right broker and only needs time.
 */
export function classifyHeartbeatError(code: number, retriable: boolean): HeartbeatErrorAction {
  switch (code) {
    case Codes.NOT_COORDINATOR:
    case Codes.COORDINATOR_NOT_AVAILABLE:
      return 'coordinator';
    case Codes.COORDINATOR_LOAD_IN_PROGRESS:
      return 'retry';
    case Codes.UNKNOWN_MEMBER_ID:
    case Codes.FENCED_MEMBER_EPOCH:
      return 'rejoin';
    default:
      return retriable ? 'retry' : 'fatal';
  }
}

export class ShareMembership {
  readonly memberId: string;
  private stateValue: MemberState = 'unsubscribed';
  private epochValue = 0;
  private topics: string[] = [];
  private subscriptionChanged = false;
  private assignmentValue: TopicIdAssignment = new Map();
  /** From the coordinator's answers; 5 s until the first. */
  heartbeatIntervalMs = 5000;

  constructor(
    memberId: string = generateMemberId(),
    private readonly rackId: string | null = null,
  ) {
    this.memberId = memberId;
  }

  get state(): MemberState {
    return this.stateValue;
  }

  get epoch(): number {
    return this.epochValue;
  }

  get assignment(): TopicIdAssignment {
    return this.assignmentValue;
  }

  get subscription(): readonly string[] {
    return this.topics;
  }

  subscribe(topics: readonly string[]): void {
    const next = [...new Set(topics)].sort();
    if (next.join('\0') === this.topics.join('\0') && this.stateValue !== 'unsubscribed') return;
    this.topics = next;
    this.subscriptionChanged = true;
    if (this.stateValue === 'unsubscribed' || this.stateValue === 'left') this.stateValue = 'joining';
  }

  /** The next heartbeat. Topics and rack go only when joining or after a change, as the protocol asks. */
  request(groupId: string): ShareGroupHeartbeatRequest {
    const leaving = this.stateValue === 'leaving';
    const full = this.epochValue === 0 || this.subscriptionChanged;
    return {
      groupId,
      memberId: this.memberId,
      memberEpoch: leaving ? LEAVE_EPOCH : this.epochValue,
      rackId: full && !leaving ? this.rackId : null,
      subscribedTopicNames: full && !leaving ? [...this.topics] : null,
    };
  }

  /**
   * Digests a successful answer (errorCode 0). Returns the new assignment when it changed,
   * otherwise undefined.
   */
  onResponse(
    response: ShareGroupHeartbeatResponse,
    sent: ShareGroupHeartbeatRequest,
  ): TopicIdAssignment | undefined {
    if (sent.memberEpoch === LEAVE_EPOCH) {
      this.stateValue = 'left';
      this.epochValue = 0;
      this.assignmentValue = new Map();
      return undefined;
    }
    if (sent.subscribedTopicNames !== null) this.subscriptionChanged = false;
    this.epochValue = response.memberEpoch;
    if (response.heartbeatIntervalMs > 0) this.heartbeatIntervalMs = response.heartbeatIntervalMs;
    if (this.stateValue === 'joining') this.stateValue = 'stable';
    if (!response.assignment) return undefined;
    const next: TopicIdAssignment = new Map();
    for (const t of response.assignment.topicPartitions) {
      next.set(
        t.topicId,
        [...t.partitions].sort((a, b) => a - b),
      );
    }
    if (sameAssignment(next, this.assignmentValue)) return undefined;
    this.assignmentValue = next;
    return next;
  }

  /** Digests an error answer or a failed request. */
  onError(code: number, retriable: boolean): HeartbeatErrorAction {
    if (this.stateValue === 'leaving') {
      // leaving is best effort: the coordinator drops us after the session timeout anyway
      this.stateValue = 'left';
      this.epochValue = 0;
      this.assignmentValue = new Map();
      return 'fatal';
    }
    const action = classifyHeartbeatError(code, retriable);
    if (action === 'rejoin') this.fenced();
    if (action === 'fatal') this.stateValue = 'fatal';
    return action;
  }

  /** Fenced by the coordinator: the assignment is void; join again with epoch 0 and the full subscription. */
  fenced(): void {
    this.epochValue = 0;
    this.assignmentValue = new Map();
    this.subscriptionChanged = true;
    this.stateValue = 'joining';
  }

  leave(): void {
    if (this.stateValue === 'left' || this.stateValue === 'unsubscribed') return;
    this.stateValue = this.epochValue === 0 ? 'left' : 'leaving';
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
