import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ShareGroupHeartbeatResponse } from '../../../src/protocol/messages/share-group-heartbeat.js';
import { classifyHeartbeatError, generateMemberId, ShareMembership } from '../../../src/share/membership.js';

function answer(
  memberEpoch: number,
  assignment: Record<string, number[]> | null,
): ShareGroupHeartbeatResponse {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    memberId: null,
    memberEpoch,
    heartbeatIntervalMs: 3000,
    assignment: assignment && {
      topicPartitions: Object.entries(assignment).map(([topicId, partitions]) => ({ topicId, partitions })),
    },
  };
}

describe('ShareMembership', () => {
  it('generates a 22-character base64url member id', () => {
    assert.match(generateMemberId(), /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(generateMemberId(), generateMemberId());
  });

  it('joins with epoch 0 and its topics, then heartbeats with the epoch and no topics', () => {
    const m = new ShareMembership('member-1', 'rack-a');
    m.subscribe(['b', 'a', 'a']);
    assert.equal(m.state, 'joining');
    const join = m.request('g');
    assert.deepEqual(join, {
      groupId: 'g',
      memberId: 'member-1',
      memberEpoch: 0,
      rackId: 'rack-a',
      subscribedTopicNames: ['a', 'b'],
    });
    assert.equal(m.onResponse(answer(1, null), join), undefined);
    assert.equal(m.state, 'stable');
    assert.equal(m.heartbeatIntervalMs, 3000);
    const next = m.request('g');
    assert.deepEqual([next.memberEpoch, next.subscribedTopicNames, next.rackId], [1, null, null]);
    const assigned = m.onResponse(answer(2, { T1: [1, 0] }), next);
    assert.deepEqual([...assigned!], [['T1', [0, 1]]]);
    assert.equal(m.onResponse(answer(2, { T1: [0, 1] }), m.request('g')), undefined, 'unchanged');
  });

  it('sends the topics again after a subscription change', () => {
    const m = new ShareMembership('m');
    m.subscribe(['a']);
    m.onResponse(answer(1, null), m.request('g'));
    m.subscribe(['a', 'b']);
    assert.deepEqual(m.request('g').subscribedTopicNames, ['a', 'b']);
  });

  it('rejoins with epoch 0 and the same member id when fenced', () => {
    const m = new ShareMembership('m');
    m.subscribe(['a']);
    m.onResponse(answer(5, { T: [0] }), m.request('g'));
    assert.equal(m.onError(110, false), 'rejoin');
    assert.equal(m.assignment.size, 0);
    const r = m.request('g');
    assert.deepEqual([r.memberId, r.memberEpoch, r.subscribedTopicNames], ['m', 0, ['a']]);
  });

  it('leaves with epoch -1', () => {
    const m = new ShareMembership('m');
    m.subscribe(['a']);
    m.onResponse(answer(3, null), m.request('g'));
    m.leave();
    assert.equal(m.state, 'leaving');
    const r = m.request('g');
    assert.equal(r.memberEpoch, -1);
    m.onResponse(answer(-1, null), r);
    assert.equal(m.state, 'left');
  });

  it('classifies heartbeat errors: a moved coordinator is looked up again, a loading one is retried', () => {
    // Kafka's numbers, spelled out so that a swap of the names in the mapping cannot pass.
    assert.equal(classifyHeartbeatError(16, true), 'coordinator'); // NOT_COORDINATOR
    assert.equal(classifyHeartbeatError(15, true), 'coordinator'); // COORDINATOR_NOT_AVAILABLE
    assert.equal(classifyHeartbeatError(14, true), 'retry'); // COORDINATOR_LOAD_IN_PROGRESS
    assert.equal(classifyHeartbeatError(25, false), 'rejoin'); // UNKNOWN_MEMBER_ID
    assert.equal(classifyHeartbeatError(110, false), 'rejoin'); // FENCED_MEMBER_EPOCH
    assert.equal(classifyHeartbeatError(30, false), 'fatal'); // GROUP_AUTHORIZATION_FAILED
    assert.equal(classifyHeartbeatError(7, true), 'retry'); // REQUEST_TIMED_OUT
  });

  it('a NOT_COORDINATOR answer keeps the membership as it is while the coordinator is found again', () => {
    const m = new ShareMembership('m');
    m.subscribe(['a']);
    m.onResponse(answer(3, null), m.request('g'));
    assert.equal(m.onError(16, true), 'coordinator');
    assert.equal(m.state, 'stable');
    assert.equal(m.epoch, 3);
    assert.equal(m.request('g').memberEpoch, 3);
  });
});
