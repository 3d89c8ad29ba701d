import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BeatResult, HeartbeatDriver } from '../../../src/group/heartbeat-driver.js';
import { MemberEngine, type MemberEvent } from '../../../src/group/membership-engine.js';

/** Waits until `cond` holds (generous: the machine may be loaded); fails with `what` otherwise. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Sent {
  state: string;
  epoch: number;
  answer(event: MemberEvent, memberEpoch?: number): void;
}

/**
 * A member over the real engine whose heartbeats are answered by the test: each `beat` records
 * what the engine's state would send and waits for `answer`.
 */
function harness(options: { intervalMs?: number; epoch?: number } = {}) {
  const engine = new MemberEngine({ memberId: 'm', heartbeatIntervalMs: options.intervalMs ?? 60_000 });
  const sent: Sent[] = [];
  let invalidations = 0;
  const timerErrors: Error[] = [];
  const driver = new HeartbeatDriver({
    beat: () => {
      const state = engine.state;
      if (state === 'unsubscribed' || state === 'left' || state === 'fatal')
        return Promise.resolve(undefined);
      return new Promise<BeatResult>((resolve) => {
        sent.push({
          state,
          epoch: engine.epoch,
          answer: (event, memberEpoch = engine.epoch + 1) => {
            const ok = event === 'accepted' || event === 'assigned';
            const leaving = engine.state === 'leaving' && state === 'leaving';
            const step = engine.dispatch(
              leaving ? 'left' : event,
              ok ? { memberEpoch, heartbeatIntervalMs: options.intervalMs ?? 60_000 } : undefined,
            );
            resolve({ step, error: ok ? undefined : new Error(event) });
          },
        });
      });
    },
    invalidateCoordinator: () => invalidations++,
    intervalMs: () => engine.heartbeatIntervalMs,
    backoff: { initialMs: 5, maxMs: 40 },
    soonMs: 5,
    onTimerError: (e) => timerErrors.push(e),
  });
  return { engine, driver, sent, invalidations: () => invalidations, timerErrors };
}

describe('HeartbeatDriver', () => {
  it('runs one heartbeat at a time; callers that ask meanwhile share the next one', async () => {
    const { engine, driver, sent } = harness();
    engine.dispatch('subscribe');
    const first = driver.now();
    const second = driver.now();
    const third = driver.now();
    assert.equal(sent.length, 1, 'the second waits for the first');
    sent[0]!.answer('accepted', 1);
    await first;
    await until(() => sent.length === 2, 'the queued heartbeat');
    assert.equal(sent[1]!.epoch, 1, 'built from the state after the first answer');
    sent[1]!.answer('accepted', 2);
    assert.equal(await second, await third, 'one heartbeat for both callers');
    await driver.idle();
    assert.equal(sent.length, 2);
    driver.stop();
  });

  it('a heartbeat at the coordinator interval after an accepted one', async () => {
    const { engine, driver, sent } = harness({ intervalMs: 10 });
    engine.dispatch('subscribe');
    const first = driver.now();
    sent[0]!.answer('accepted', 1);
    await first;
    await until(() => sent.length === 2, 'the timed heartbeat');
    assert.equal(sent[1]!.state, 'stable');
    driver.stop();
    sent[1]!.answer('accepted');
  });

  it('coordinator moved: forgets the coordinator and heartbeats again soon, same epoch', async () => {
    const { engine, driver, sent, invalidations } = harness();
    engine.dispatch('subscribe');
    const join = driver.now();
    sent[0]!.answer('accepted', 3);
    await join;
    const beat = driver.now();
    sent[1]!.answer('coordinator-moved');
    const result = await beat;
    assert.equal(result?.step.event, 'coordinator-moved');
    assert.equal(invalidations(), 1);
    await until(() => sent.length === 3, 'the heartbeat to the new coordinator');
    assert.deepEqual([sent[2]!.state, sent[2]!.epoch], ['stable', 3]);
    driver.stop();
    sent[2]!.answer('accepted');
  });

  it('fenced: the rejoin heartbeat (epoch 0) goes at once', async () => {
    const { engine, driver, sent } = harness();
    engine.dispatch('subscribe');
    const join = driver.now();
    sent[0]!.answer('accepted', 5);
    await join;
    const beat = driver.now();
    sent[1]!.answer('fenced');
    await beat;
    await until(() => sent.length === 3, 'the rejoin');
    assert.deepEqual([sent[2]!.state, sent[2]!.epoch], ['joining', 0]);
    sent[2]!.answer('accepted', 6);
    await driver.idle();
    assert.deepEqual([engine.state, engine.epoch], ['stable', 6]);
    driver.stop();
  });

  it('retriable errors back off longer each time, and an accepted heartbeat resets the count', async () => {
    const { engine, driver, sent } = harness();
    engine.dispatch('subscribe');
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => driver.backoffMs(n)),
      [5, 10, 20, 40, 40],
    );
    const first = driver.now();
    sent[0]!.answer('retriable');
    await first;
    assert.equal(driver.consecutiveFailures, 1);
    await until(() => sent.length === 2, 'the retry');
    sent[1]!.answer('unreachable');
    await until(() => sent.length === 3, 'the second retry');
    assert.equal(driver.consecutiveFailures, 2);
    sent[2]!.answer('accepted', 1);
    await driver.idle();
    assert.equal(driver.consecutiveFailures, 0);
    driver.stop();
  });

  it('leave during an in-flight heartbeat: its answer does not undo the leave, which goes right after', async () => {
    const { engine, driver, sent } = harness({ intervalMs: 10 });
    engine.dispatch('subscribe');
    const join = driver.now();
    sent[0]!.answer('accepted', 2);
    await join;
    await until(() => sent.length === 2, 'a timed heartbeat in flight');
    driver.stop();
    assert.equal(engine.dispatch('leave').to, 'leaving');
    const leave = driver.now();
    sent[1]!.answer('assigned', 3);
    await until(() => sent.length === 3, 'the leave heartbeat');
    assert.equal(sent[2]!.state, 'leaving');
    sent[2]!.answer('accepted');
    const result = await leave;
    assert.equal(result?.step.to, 'left');
    await driver.idle();
    assert.equal(engine.state, 'left');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(sent.length, 3, 'nothing after the leave');
  });

  it('stop(): no more timed heartbeats', async () => {
    const { engine, driver, sent } = harness({ intervalMs: 10 });
    engine.dispatch('subscribe');
    const join = driver.now();
    driver.stop();
    sent[0]!.answer('accepted', 1);
    await join;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(sent.length, 1);
  });
});
