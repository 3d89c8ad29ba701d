import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ConsumerCore } from '../../../src/consumer/core.js';
import type { ConsumerEvents } from '../../../src/consumer/events.js';
import type { FetchedBatch } from '../../../src/consumer/fetcher.js';
import { OffsetTracker } from '../../../src/consumer/offsets.js';
import { type ConsumerOptions, resolveConsumerOptions } from '../../../src/consumer/options.js';
import {
  BatchRunner,
  consumerMetrics,
  type EachBatchPayload,
  type EachMessagePayload,
} from '../../../src/consumer/runner.js';
import { SubscriptionState } from '../../../src/consumer/subscription-state.js';
import { InstrumentationEmitter } from '../../../src/instrumentation/events.js';
import { nullLogger } from '../../../src/logger.js';
import { consumeChannel, type OperationTraceContext } from '../../../src/observability/channels.js';
import type { KafkaRecord } from '../../../src/protocol/records/types.js';
import { jsonSerde, KafkaJSDeserializationError, stringSerde } from '../../../src/serdes/index.js';

/** Just enough of a ConsumerCore for the runner: state, tracker, options, emitter. */
function fakeCore(options: ConsumerOptions<unknown, unknown>) {
  const state = new SubscriptionState();
  state.add([{ topic: 't', partition: 0 }]);
  state.get('t', 0)!.seek(0);
  const emitter = new InstrumentationEmitter<ConsumerEvents>();
  const committed: unknown[] = [];
  const core = {
    state,
    options: resolveConsumerOptions({ groupId: 'g', ...options }),
    tracker: new OffsetTracker({ autoCommit: true, autoCommitInterval: null, autoCommitThreshold: null }),
    emitter,
    logger: nullLogger,
    group: undefined,
    fetcher: undefined,
    emit: (type: keyof ConsumerEvents, payload: Record<string, unknown>) => emitter.emit(type, payload),
    commit: async (offsets: unknown[]) => {
      committed.push(...offsets);
    },
  };
  return { core: core as unknown as ConsumerCore, state, committed };
}

const record = (offset: number, value: string | null, key: string | null = null): KafkaRecord => ({
  offset,
  offsetDelta: offset,
  timestamp: 1000,
  attributes: 0,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: [],
});

const batchOf = (records: KafkaRecord[]): FetchedBatch => ({
  topic: 't',
  partition: 0,
  records,
  highWatermark: 10,
  lastStableOffset: 10,
  logStartOffset: 0,
  partitionEpoch: 1,
  fetchOffset: records[0]!.offset,
  leaderEpoch: 0,
});

const values = [record(0, '{"n":0}', 'k0'), record(1, '{broken'), record(2, '{"n":2}', 'k2')];

function runner(
  core: ConsumerCore,
  handlers: {
    eachMessage?: (p: EachMessagePayload) => Promise<void>;
    eachBatch?: (p: EachBatchPayload) => Promise<void>;
  },
) {
  return new BatchRunner(
    core,
    {
      eachMessage: handlers.eachMessage,
      eachBatch: handlers.eachBatch,
      partitionsConsumedConcurrently: 1,
      eachBatchAutoResolve: true,
    },
    () => true,
  );
}

let unsubscribe: (() => void) | undefined;
afterEach(() => {
  unsubscribe?.();
  unsubscribe = undefined;
});

describe('consumer deserializers', () => {
  it('hand the handler typed keys and values', async () => {
    const { core } = fakeCore({
      keyDeserializer: stringSerde,
      valueDeserializer: jsonSerde<{ n: number }>(),
    });
    const got: unknown[] = [];
    await runner(core, {
      eachMessage: async ({ message }) => {
        got.push([message.key, message.value]);
      },
    }).process(batchOf([values[0]!, values[2]!]));
    assert.deepEqual(got, [
      ['k0', { n: 0 }],
      ['k2', { n: 2 }],
    ]);
  });

  it("'fail' stops at the bad record with a typed error and leaves the partition there", async () => {
    const { core, state } = fakeCore({ valueDeserializer: jsonSerde() });
    const got: string[] = [];
    await assert.rejects(
      runner(core, {
        eachMessage: async ({ message }) => {
          got.push(message.offset);
        },
      }).process(batchOf(values)),
      (e: unknown) =>
        e instanceof KafkaJSDeserializationError &&
        e.topic === 't' &&
        e.partition === 0 &&
        e.offset === '1' &&
        e.field === 'value' &&
        e.retriable === false &&
        e.data?.toString() === '{broken' &&
        e.cause instanceof SyntaxError,
    );
    assert.deepEqual(got, ['0']);
    assert.equal(state.get('t', 0)!.position, 1);
    assert.equal(consumerMetrics(core).deserializationErrors, 1);
  });

  it("'skip' passes over the bad record and commits past it", async () => {
    const { core } = fakeCore({ valueDeserializer: jsonSerde(), onDeserializationError: 'skip' });
    const got: string[] = [];
    const r = runner(core, {
      eachMessage: async ({ message }) => {
        got.push(message.offset);
      },
    });
    await r.process(batchOf(values));
    assert.deepEqual(got, ['0', '2']);
    // The next commit is past the skipped record and the last processed one.
    assert.deepEqual(
      core.tracker!.uncommitted().map((o) => [o.topic, o.partition, o.offset]),
      [['t', 0, 3]],
    );
    const m = consumerMetrics(core);
    assert.equal(m.recordsConsumed, 2);
    assert.deepEqual(
      m.lag.map((l) => [l.topic, l.partition, l.position, l.lag]),
      [['t', 0, 3, 7]],
    );
  });

  it('a callback policy is told about each bad record, which is skipped; eachBatch gets the rest', async () => {
    const told: Array<[string, string]> = [];
    const { core } = fakeCore({
      valueDeserializer: jsonSerde(),
      onDeserializationError: (error, rec) => told.push([error.name, rec.offset]),
    });
    let delivered: unknown[] = [];
    await runner(core, {
      eachBatch: async ({ batch }) => {
        delivered = batch.messages.map((m) => m.value);
      },
    }).process(batchOf(values));
    assert.deepEqual(told, [['KafkaJSDeserializationError', '1']]);
    assert.deepEqual(delivered, [{ n: 0 }, { n: 2 }]);
  });
});

describe('kafkats:consume', () => {
  it('wraps each eachMessage call with process attributes', async () => {
    const { core } = fakeCore({});
    const seen: Array<[string, OperationTraceContext]> = [];
    const handlers = {
      end: () => {},
      asyncStart: () => {},
      error: () => {},
      start: (c: OperationTraceContext) => seen.push(['start', c]),
      asyncEnd: (c: OperationTraceContext) => seen.push(['asyncEnd', c]),
    };
    consumeChannel.subscribe(handlers);
    unsubscribe = () => consumeChannel.unsubscribe(handlers);
    await runner(core, { eachMessage: async () => {} }).process(
      batchOf([record(4, 'a', 'key-4'), record(5, null)]),
    );
    assert.deepEqual(
      seen.map(([e]) => e),
      ['start', 'asyncEnd', 'start', 'asyncEnd'],
    );
    assert.deepEqual(seen[0]![1].attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 't',
      'messaging.destination.partition.id': '0',
      'messaging.consumer.group.name': 'g',
      'messaging.kafka.offset': 4,
      'messaging.kafka.message.key': 'key-4',
    });
    assert.equal(seen[2]![1].attributes['messaging.kafka.message.tombstone'], true);
    assert.equal(seen[0]![1].name, 'process t');
  });
});
