import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ConsumerCore } from '../../../src/consumer/core.js';
import type { ConsumerEvents } from '../../../src/consumer/events.js';
import { resolveConsumerOptions } from '../../../src/consumer/options.js';
import { consumerMetrics, observeConsumer } from '../../../src/consumer/runner.js';
import { SubscriptionState } from '../../../src/consumer/subscription-state.js';
import { InstrumentationEmitter } from '../../../src/instrumentation/events.js';
import { type OperationTraceContext, rebalanceChannel } from '../../../src/observability/channels.js';

function fakeCore() {
  const emitter = new InstrumentationEmitter<ConsumerEvents>();
  const core = { emitter, options: resolveConsumerOptions({ groupId: 'g' }), state: new SubscriptionState() };
  return { core: core as unknown as ConsumerCore, emitter };
}

const events: Array<[string, OperationTraceContext]> = [];
const handlers = {
  start: (c: OperationTraceContext) => events.push(['start', c]),
  end: (c: OperationTraceContext) => events.push(['end', c]),
  asyncStart: (c: OperationTraceContext) => events.push(['asyncStart', c]),
  asyncEnd: (c: OperationTraceContext) => events.push(['asyncEnd', c]),
  error: (c: OperationTraceContext) => events.push(['error', c]),
};

afterEach(() => {
  rebalanceChannel.unsubscribe(handlers);
  events.length = 0;
});

describe('kafkats:rebalance and rebalance metrics', () => {
  it('spans rebalancing → group_join on one context and counts the join with its duration', () => {
    const { core, emitter } = fakeCore();
    observeConsumer(core);
    assert.equal(observeConsumer(core), observeConsumer(core), 'one recorder per consumer');
    rebalanceChannel.subscribe(handlers);
    emitter.emit('consumer.rebalancing', { groupId: 'g', memberId: 'm' });
    assert.equal(consumerMetrics(core).rebalances.inProgress, true);
    emitter.emit('consumer.group_join', { duration: 42, groupId: 'g', memberAssignment: { t: [0, 1, 2] } });
    assert.deepEqual(
      events.map(([e]) => e),
      ['start', 'end', 'asyncStart', 'asyncEnd'],
    );
    const context = events[0]![1];
    assert.ok(events.every(([, c]) => c === context));
    assert.equal(context.name, 'rebalance g');
    assert.deepEqual(context.attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.name': 'rebalance',
      'messaging.consumer.group.name': 'g',
      'kafkats.rebalance.assigned_partitions': 3,
    });
    const r = consumerMetrics(core).rebalances;
    assert.equal(r.count, 1);
    assert.equal(r.lastDurationMs, 42);
    assert.equal(r.inProgress, false);
  });

  it('ends an unfinished rebalance span with an error when the consumer crashes, without counting it', () => {
    const { core, emitter } = fakeCore();
    observeConsumer(core);
    rebalanceChannel.subscribe(handlers);
    emitter.emit('consumer.rebalancing', { groupId: 'g' });
    const boom = new Error('coordinator gone');
    emitter.emit('consumer.crash', { error: boom, groupId: 'g', restart: false });
    assert.deepEqual(
      events.map(([e]) => e),
      ['start', 'end', 'error', 'asyncStart', 'asyncEnd'],
    );
    assert.equal(events[2]![1].error, boom);
    const r = consumerMetrics(core).rebalances;
    assert.equal(r.count, 0);
    assert.equal(r.inProgress, false);
  });

  it('publishes nothing when nobody subscribed, but still counts', () => {
    const { core, emitter } = fakeCore();
    observeConsumer(core);
    emitter.emit('consumer.rebalancing', {});
    emitter.emit('consumer.group_join', { duration: 5 });
    assert.equal(events.length, 0);
    assert.equal(consumerMetrics(core).rebalances.count, 1);
  });
});
