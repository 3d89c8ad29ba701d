import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Effect,
  heartbeatErrorEvent,
  MemberEngine,
  type MemberEvent,
  type MemberState,
  type NextBeat,
  TRANSITIONS,
} from '../../../src/group/membership-engine.js';

const STATES: MemberState[] = [
  'unsubscribed',
  'joining',
  'stable',
  'reconciling',
  'leaving',
  'left',
  'fatal',
];
const EVENTS: MemberEvent[] = [
  'subscribe',
  'leave',
  'accepted',
  'assigned',
  'reconciled',
  'fenced',
  'coordinator-moved',
  'unreachable',
  'retriable',
  'fatal',
  'left',
];

/** An engine driven into `state` through events, as a member would get there. */
function engineIn(state: MemberState): MemberEngine {
  const e = new MemberEngine({ memberId: 'm', heartbeatIntervalMs: 5000 });
  const ok = { memberEpoch: 7, heartbeatIntervalMs: 3000 };
  const paths: Record<MemberState, Array<[MemberEvent, typeof ok?]>> = {
    unsubscribed: [],
    joining: [['subscribe']],
    stable: [['subscribe'], ['accepted', ok]],
    reconciling: [['subscribe'], ['assigned', ok]],
    leaving: [['subscribe'], ['accepted', ok], ['leave']],
    left: [['subscribe'], ['accepted', ok], ['leave'], ['left']],
    fatal: [['subscribe'], ['fatal']],
  };
  for (const [event, answer] of paths[state]) e.dispatch(event, answer);
  assert.equal(e.state, state);
  return e;
}

/**
 * The table as the protocols ask for it, written out by hand (not read from the source): state,
 * event, next state, when the next heartbeat goes, effects. Pairs not listed change nothing.
 */
const EXPECTED: Array<[MemberState, MemberEvent, MemberState, NextBeat, Effect[]]> = [
  ['unsubscribed', 'subscribe', 'joining', 'now', ['send-full']],
  ['unsubscribed', 'leave', 'left', 'stop', []],

  ['joining', 'subscribe', 'joining', 'now', ['send-full']],
  ['joining', 'accepted', 'stable', 'interval', []],
  ['joining', 'assigned', 'reconciling', 'interval', []],
  ['joining', 'fenced', 'joining', 'now', ['reset-epoch', 'lose-assignment', 'send-full']],
  ['joining', 'coordinator-moved', 'joining', 'soon', ['invalidate-coordinator']],
  ['joining', 'unreachable', 'joining', 'backoff', ['invalidate-coordinator']],
  ['joining', 'retriable', 'joining', 'backoff', []],
  ['joining', 'fatal', 'fatal', 'stop', []],
  ['joining', 'leave', 'left', 'stop', ['reset-epoch', 'lose-assignment']],

  ['stable', 'subscribe', 'stable', 'now', ['send-full']],
  ['stable', 'accepted', 'stable', 'interval', []],
  ['stable', 'assigned', 'reconciling', 'interval', []],
  ['stable', 'fenced', 'joining', 'now', ['reset-epoch', 'lose-assignment', 'send-full']],
  ['stable', 'coordinator-moved', 'stable', 'soon', ['invalidate-coordinator']],
  ['stable', 'unreachable', 'stable', 'backoff', ['invalidate-coordinator']],
  ['stable', 'retriable', 'stable', 'backoff', []],
  ['stable', 'fatal', 'fatal', 'stop', []],
  ['stable', 'leave', 'leaving', 'now', []],

  ['reconciling', 'subscribe', 'reconciling', 'now', ['send-full']],
  ['reconciling', 'accepted', 'reconciling', 'interval', []],
  ['reconciling', 'assigned', 'reconciling', 'interval', []],
  ['reconciling', 'reconciled', 'stable', 'interval', []],
  ['reconciling', 'fenced', 'joining', 'now', ['reset-epoch', 'lose-assignment', 'send-full']],
  ['reconciling', 'coordinator-moved', 'reconciling', 'soon', ['invalidate-coordinator']],
  ['reconciling', 'unreachable', 'reconciling', 'backoff', ['invalidate-coordinator']],
  ['reconciling', 'retriable', 'reconciling', 'backoff', []],
  ['reconciling', 'fatal', 'fatal', 'stop', []],
  ['reconciling', 'leave', 'leaving', 'now', []],

  // Answers to a heartbeat that was in flight when leave() came: the leave still goes next.
  ['leaving', 'accepted', 'leaving', 'now', []],
  ['leaving', 'assigned', 'leaving', 'now', []],
  ['leaving', 'fenced', 'leaving', 'now', []],
  ['leaving', 'coordinator-moved', 'leaving', 'now', ['invalidate-coordinator']],
  ['leaving', 'unreachable', 'leaving', 'now', ['invalidate-coordinator']],
  ['leaving', 'retriable', 'leaving', 'now', []],
  ['leaving', 'fatal', 'leaving', 'now', []],
  ['leaving', 'left', 'left', 'stop', ['reset-epoch', 'lose-assignment']],

  ['left', 'subscribe', 'joining', 'now', ['send-full']],

  ['fatal', 'leave', 'left', 'stop', ['reset-epoch', 'lose-assignment']],
];

describe('membership engine: the transition table', () => {
  for (const state of STATES) {
    for (const event of EVENTS) {
      const row = EXPECTED.find(([s, e]) => s === state && e === event);
      const title = row ? `${state} --${event}--> ${row[2]} (next: ${row[3]})` : `${state} ignores ${event}`;
      it(title, () => {
        const engine = engineIn(state);
        const epochBefore = engine.epoch;
        const step = engine.dispatch(event);
        if (!row) {
          assert.equal(step.ignored, true);
          assert.equal(engine.state, state);
          assert.equal(engine.epoch, epochBefore);
          assert.equal(step.next, 'keep');
          return;
        }
        const [, , to, next, effects] = row;
        assert.equal(step.ignored, false);
        assert.equal(engine.state, to);
        assert.equal(step.from, state);
        assert.equal(step.next, next);
        assert.deepEqual([...step.effects].sort(), [...effects].sort());
        if (effects.includes('reset-epoch')) assert.equal(engine.epoch, 0);
        if (effects.includes('send-full')) assert.equal(engine.sendFull, true);
      });
    }
  }

  it('the table lists exactly the expected pairs', () => {
    const listed = STATES.flatMap((s) => Object.keys(TRANSITIONS[s]).map((e) => `${s}/${e}`)).sort();
    assert.deepEqual(listed, EXPECTED.map(([s, e]) => `${s}/${e}`).sort());
  });
});

describe('membership engine: a member life', () => {
  it('joins with epoch 0 and the full subscription, then takes the coordinator epoch and interval', () => {
    const e = new MemberEngine({ heartbeatIntervalMs: 5000 });
    assert.match(e.memberId, /^[A-Za-z0-9_-]{22}$/, 'a generated UUID in base64url');
    e.dispatch('subscribe');
    assert.deepEqual([e.state, e.epoch, e.sendFull, e.joined], ['joining', 0, true, false]);
    e.dispatch('accepted', { memberEpoch: 4, heartbeatIntervalMs: 2500 });
    e.fullSent();
    assert.deepEqual([e.state, e.epoch, e.sendFull, e.joined], ['stable', 4, false, true]);
    assert.equal(e.heartbeatIntervalMs, 2500);
  });

  it('an interval of 0 in an answer keeps the previous one', () => {
    const e = engineIn('stable');
    e.dispatch('accepted', { memberEpoch: 8, heartbeatIntervalMs: 0 });
    assert.equal(e.heartbeatIntervalMs, 3000);
  });

  it('receives an assignment, reconciles it, and is stable again', () => {
    const e = engineIn('stable');
    e.dispatch('assigned', { memberEpoch: 9, heartbeatIntervalMs: 3000 });
    assert.deepEqual([e.state, e.epoch, e.joined], ['reconciling', 9, true]);
    e.dispatch('reconciled');
    assert.equal(e.state, 'stable');
  });

  it('fenced: epoch 0, the same member id, the full subscription again, assignment lost', () => {
    const e = engineIn('reconciling');
    const id = e.memberId;
    e.fullSent();
    const step = e.dispatch(heartbeatErrorEvent(110, false)); // FENCED_MEMBER_EPOCH
    assert.deepEqual([e.state, e.epoch, e.memberId, e.sendFull], ['joining', 0, id, true]);
    assert.ok(step.effects.includes('lose-assignment'));
    e.dispatch('accepted', { memberEpoch: 12, heartbeatIntervalMs: 3000 });
    assert.deepEqual([e.state, e.epoch], ['stable', 12]);
  });

  it('coordinator moved: membership kept, the coordinator looked up again', () => {
    const e = engineIn('stable');
    const step = e.dispatch(heartbeatErrorEvent(16, true)); // NOT_COORDINATOR
    assert.deepEqual([e.state, e.epoch], ['stable', 7]);
    assert.deepEqual(step.effects, ['invalidate-coordinator']);
  });

  it('an answer to a heartbeat sent before leave() does not undo the leave, nor change the epoch', () => {
    const e = engineIn('stable');
    e.dispatch('leave');
    const step = e.dispatch('assigned', { memberEpoch: 30, heartbeatIntervalMs: 1000 });
    assert.deepEqual([e.state, e.epoch, step.next], ['leaving', 7, 'now']);
    e.dispatch('left');
    assert.deepEqual([e.state, e.epoch], ['left', 0]);
  });

  it('an answer that arrives after the member left is ignored', () => {
    const e = engineIn('left');
    const step = e.dispatch('accepted', { memberEpoch: 40, heartbeatIntervalMs: 1000 });
    assert.deepEqual([step.ignored, e.state, e.epoch], [true, 'left', 0]);
  });
});

describe('heartbeatErrorEvent', () => {
  it('names each heartbeat error code', () => {
    // Kafka's numbers, spelled out so that a swap of the names in the mapping cannot pass.
    assert.equal(heartbeatErrorEvent(0, false), 'accepted'); // NONE
    assert.equal(heartbeatErrorEvent(16, true), 'coordinator-moved'); // NOT_COORDINATOR
    assert.equal(heartbeatErrorEvent(15, true), 'coordinator-moved'); // COORDINATOR_NOT_AVAILABLE
    assert.equal(heartbeatErrorEvent(14, true), 'retriable'); // COORDINATOR_LOAD_IN_PROGRESS
    assert.equal(heartbeatErrorEvent(25, false), 'fenced'); // UNKNOWN_MEMBER_ID
    assert.equal(heartbeatErrorEvent(110, false), 'fenced'); // FENCED_MEMBER_EPOCH
    assert.equal(heartbeatErrorEvent(30, false), 'fatal'); // GROUP_AUTHORIZATION_FAILED
    assert.equal(heartbeatErrorEvent(7, true), 'retriable'); // REQUEST_TIMED_OUT
  });
});
