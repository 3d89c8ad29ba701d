import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSInvalidArgument, KafkaJSNonRetriableError } from '../../../src/errors/network.js';
import { ClientEvents } from '../../../src/instrumentation/emitter.js';
import { InstrumentationEmitter, type NetworkEvents } from '../../../src/instrumentation/events.js';

interface TestEvents {
  'test.connect': null;
  'test.network.request': NetworkEvents['network.request'];
  'test.crash': { error: Error };
}

const NAMES = ['test.connect', 'test.network.request', 'test.crash'] as const;

function shell(options: ConstructorParameters<typeof ClientEvents<TestEvents>>[3] = {}) {
  const emitter = new InstrumentationEmitter<TestEvents>();
  return { emitter, events: new ClientEvents<TestEvents>('test', [...NAMES], emitter, options) };
}

const request: NetworkEvents['network.request'] = {
  broker: 'b:9092',
  clientId: 'c',
  correlationId: 7,
  size: 100,
  createdAt: 1,
  sentAt: 2,
  pendingDuration: 1,
  duration: 3,
  apiName: 'Metadata',
  apiKey: 3,
  apiVersion: 12,
};

describe('ClientEvents: the event shell of every client', () => {
  it("delivers KafkaJS's envelope with the public event name as type", () => {
    const { events } = shell();
    const seen: unknown[] = [];
    events.on('test.crash', (e) => seen.push(e));
    const error = new Error('boom');
    events.emit('test.crash', { error });
    assert.equal(seen.length, 1);
    const event = seen[0] as { id: unknown; type: unknown; timestamp: unknown; payload: unknown };
    assert.equal(event.type, 'test.crash');
    assert.equal(typeof event.id, 'number', 'a number, as KafkaJS emits it');
    assert.equal(typeof event.timestamp, 'number');
    assert.deepEqual(event.payload, { error });
  });

  it('returns a remover that stops only that listener', () => {
    const { events } = shell();
    const a: string[] = [];
    const b: string[] = [];
    const offA = events.on('test.connect', (e) => a.push(e.type));
    events.on('test.connect', (e) => b.push(e.type));
    events.emit('test.connect', null);
    offA();
    events.emit('test.connect', null);
    assert.deepEqual(a, ['test.connect']);
    assert.deepEqual(b, ['test.connect', 'test.connect']);
  });

  it('rejects an unknown name with a non-retriable KafkaJSInvalidArgument naming the client and the names', () => {
    const { events } = shell();
    assert.throws(
      () => events.on('test.nope' as 'test.connect', () => {}),
      (error: unknown) => {
        assert.ok(error instanceof KafkaJSInvalidArgument);
        assert.ok(error instanceof KafkaJSNonRetriableError);
        assert.equal(error.retriable, false);
        assert.match(error.message, /unknown test event "test\.nope"/);
        assert.match(error.message, /test\.connect, test\.network\.request, test\.crash/);
        return true;
      },
    );
  });

  it('accepts aliases and delivers under the name they stand for', () => {
    const { events } = shell({ aliases: { 'test.request': 'test.network.request' } });
    const types: string[] = [];
    events.on(events.resolve('test.request'), (e) => types.push(e.type));
    events.emit('test.network.request', request);
    assert.deepEqual(types, ['test.network.request']);
  });

  it('maps public names to the underlying emitter’s names (the producer’s prefixed emitter)', () => {
    const emitter = new InstrumentationEmitter<{ connect: null }>('test.');
    const events = new ClientEvents<TestEvents>('test', [...NAMES], emitter, {
      internal: (name) => name.slice('test.'.length),
    });
    const types: string[] = [];
    events.on('test.connect', (e) => types.push(e.type));
    emitter.emit('connect', null);
    assert.deepEqual(types, ['test.connect']);
  });

  it('forwards network events as the client’s until the returned function stops it', () => {
    const network = new InstrumentationEmitter<NetworkEvents>();
    const { events } = shell();
    const payloads: unknown[] = [];
    events.on('test.network.request', (e) => payloads.push(e.payload));
    const stop = events.forward(network, { 'network.request': 'test.network.request' });
    network.emit('network.request', request);
    stop();
    network.emit('network.request', { ...request, correlationId: 8 });
    assert.deepEqual(payloads, [request]);
  });

  it('keeps emitting to other listeners when one throws', () => {
    const { events } = shell();
    let calls = 0;
    events.on('test.connect', () => {
      throw new Error('listener bug');
    });
    events.on('test.connect', () => calls++);
    assert.doesNotThrow(() => events.emit('test.connect', null));
    assert.equal(calls, 1);
  });
});
