import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssignmentHandler } from '../../../src/consumer/assignment-handler.js';
import { PartitionAssigners } from '../../../src/consumer/assignors/index.js';
import { ConsumerCore } from '../../../src/consumer/core.js';
import { KafkaJSGroupJoinTimeout } from '../../../src/consumer/join-errors.js';
import { resolveConsumerOptions } from '../../../src/consumer/options.js';
import { chooseGroupProtocol } from '../../../src/consumer/protocol-choice.js';
import { resolveResetsAtJoin } from '../../../src/consumer/reset-at-join.js';
import { SubscriptionState } from '../../../src/consumer/subscription-state.js';
import { TopicCatalog } from '../../../src/consumer/topic-catalog.js';
import { KafkaJSNumberOfRetriesExceeded, KafkaJSTimeout } from '../../../src/errors/index.js';
import { createProtocolError } from '../../../src/errors/protocol.js';
import { InstrumentationEmitter } from '../../../src/instrumentation/events.js';
import { createLogger, type LogEntry, logLevel } from '../../../src/logger.js';
import {
  ConsumerGroupHeartbeat,
  ListOffsets,
  type ListOffsetsRequest,
} from '../../../src/protocol/messages/index.js';
import { FakeCluster, metadataFor } from './fake-cluster.js';

function capture() {
  const entries: LogEntry[] = [];
  const logger = createLogger({ level: logLevel.INFO, logCreator: () => (e) => void entries.push(e) });
  return { entries, logger };
}

describe('group protocol choice', () => {
  const kip848Cluster = () => {
    const c = new FakeCluster();
    c.versions[ConsumerGroupHeartbeat.name] = 1;
    return c;
  };

  it('partitionAssigners without groupProtocol: classic, and an INFO line saying why', async () => {
    const { entries, logger } = capture();
    const options = resolveConsumerOptions({ groupId: 'g', partitionAssigners: [PartitionAssigners.range] });
    assert.equal(await chooseGroupProtocol(kip848Cluster(), options, logger), 'classic');
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.level, logLevel.INFO);
    assert.match(entries[0]!.log.message, /classic group protocol because partitionAssigners were given/);
    assert.equal(entries[0]!.log.groupId, 'g');
  });

  it('an explicit groupProtocol wins over the assigners, silently', async () => {
    const { entries, logger } = capture();
    const options = resolveConsumerOptions({
      groupId: 'g',
      groupProtocol: 'consumer',
      partitionAssigners: [PartitionAssigners.range],
    });
    assert.equal(await chooseGroupProtocol(kip848Cluster(), options, logger), 'consumer');
    assert.deepEqual(entries, []);
  });

  it('no assigners: KIP-848 when a broker speaks ConsumerGroupHeartbeat, classic when none does', async () => {
    const { logger } = capture();
    const options = resolveConsumerOptions({ groupId: 'g' });
    assert.equal(await chooseGroupProtocol(kip848Cluster(), options, logger), 'consumer');
    assert.equal(await chooseGroupProtocol(new FakeCluster(), options, logger), 'classic');
  });

  it('the default assigners offer round-robin under the Java and the KafkaJS names, Java first', () => {
    const options = resolveConsumerOptions({ groupId: 'g' });
    assert.equal(options.assignersGiven, false);
    const names = options.partitionAssigners.map(
      (f) =>
        f({ cluster: { findTopicPartitionMetadata: () => [] }, groupId: 'g', logger: capture().logger }).name,
    );
    assert.deepEqual(names, ['roundrobin', 'RoundRobinAssigner']);
  });

  it('joinTimeout defaults to rebalanceTimeout + sessionTimeout and must be a positive integer', () => {
    assert.equal(resolveConsumerOptions({}).joinTimeout, 90_000);
    assert.equal(
      resolveConsumerOptions({ rebalanceTimeout: 10_000, sessionTimeout: 6_000 }).joinTimeout,
      16_000,
    );
    assert.equal(resolveConsumerOptions({ joinTimeout: 5 }).joinTimeout, 5);
    assert.throws(() => resolveConsumerOptions({ joinTimeout: 0 }), /joinTimeout/);
  });
});

describe('KafkaJSGroupJoinTimeout', () => {
  it('is a KafkaJSTimeout naming the group, the time and the innermost broker error', () => {
    const root = createProtocolError(15);
    const e = new KafkaJSGroupJoinTimeout(
      'g',
      5000,
      new KafkaJSNumberOfRetriesExceeded(root, { retryCount: 1, retryTime: 100 }),
    );
    assert.ok(e instanceof KafkaJSTimeout);
    assert.equal(e.retriable, false);
    assert.equal(e.groupId, 'g');
    assert.equal(e.timeoutMs, 5000);
    assert.match(
      e.message,
      /did not join group "g" within 5000 ms: Gave up after 1 retries: .*\(COORDINATOR_NOT_AVAILABLE\)$/,
    );
    assert.ok(e.cause instanceof KafkaJSNumberOfRetriesExceeded);
  });

  it('says when nothing answered at all', () => {
    assert.match(
      new KafkaJSGroupJoinTimeout('g', 10, undefined).message,
      /no answer from the group coordinator/,
    );
  });
});

describe('join events (AssignmentHandler)', () => {
  function handler() {
    const { entries, logger } = capture();
    const emitter = new InstrumentationEmitter<Record<string, Record<string, unknown>>>();
    const core = new ConsumerCore(
      new FakeCluster(),
      new TopicCatalog(),
      new SubscriptionState(),
      resolveConsumerOptions({ groupId: 'g' }),
      emitter as never,
      logger.namespace('Consumer'),
    );
    const events: Array<{ type: string; payload: Record<string, unknown> }> = [];
    for (const type of ['consumer.rebalancing', 'consumer.group_join'])
      emitter.on(type, (e) => events.push({ type: e.type, payload: e.payload }));
    const joinStarts: number[] = [];
    core.joinStartHooks.add(() => joinStarts.push(1));
    return { h: new AssignmentHandler(core, logger.namespace('ConsumerGroup')), events, entries, joinStarts };
  }
  const join = {
    duration: 12,
    groupId: 'g',
    isLeader: true,
    leaderId: 'm',
    groupProtocol: 'roundrobin',
    memberId: 'm',
    memberAssignment: { t: [0, 1] },
  };

  it('no REBALANCING for the first join of a run, one for each later join; the join start is always seen', () => {
    const { h, events, joinStarts } = handler();
    h.emit('rebalancing', { groupId: 'g', memberId: '' });
    h.emit('group_join', join);
    h.emit('rebalancing', { groupId: 'g', memberId: 'm' });
    h.emit('group_join', join);
    assert.deepEqual(
      events.map((e) => e.type),
      ['consumer.group_join', 'consumer.rebalancing', 'consumer.group_join'],
    );
    assert.equal(joinStarts.length, 2, 'the metrics see both joins start');
    h.beginRun();
    h.emit('rebalancing', { groupId: 'g', memberId: 'm' });
    assert.equal(events.length, 3, 'a new run starts with a join again, not a rebalance');
  });

  it("GROUP_JOIN carries exactly KafkaJS's fields, and the same go to the INFO line under ConsumerGroup", () => {
    const { h, events, entries } = handler();
    h.emit('group_join', { ...join, extra: 'not KafkaJS' });
    assert.deepEqual(events[0]!.payload, join);
    const line = entries.find((e) => e.log.message === 'Consumer has joined the group');
    assert.ok(line);
    assert.equal(line.namespace, 'ConsumerGroup');
    assert.equal(line.label, 'INFO');
    for (const [k, v] of Object.entries(join)) assert.deepEqual(line.log[k], v, k);
  });
});

describe('positions fixed at the join', () => {
  it('resolves latest and earliest resets with ListOffsets at once; seeks and committed positions are left alone', async () => {
    const cluster = new FakeCluster();
    cluster.versions[ListOffsets.name] = 9;
    const asked: number[] = [];
    cluster.on(ListOffsets, (req: ListOffsetsRequest) => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          asked.push(p.partitionIndex);
          return {
            partitionIndex: p.partitionIndex,
            errorCode: 0,
            timestamp: -1n,
            offset: p.timestamp === -1n ? 42n : 3n,
            leaderEpoch: 0,
          };
        }),
      })),
    }));
    const catalog = new TopicCatalog();
    catalog.update(metadataFor({ t: { id: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: 4 } }));
    const state = new SubscriptionState();
    const core = new ConsumerCore(
      cluster,
      catalog,
      state,
      resolveConsumerOptions({ groupId: 'g' }),
      new InstrumentationEmitter() as never,
      capture().logger,
    );
    const all = [0, 1, 2, 3].map((partition) => ({ topic: 't', partition }));
    state.add(all);
    state.get('t', 0)!.requestReset('latest');
    state.get('t', 1)!.requestReset('earliest');
    state.get('t', 2)!.seek(10); // a committed offset or a seek
    state.get('t', 3)!.requestReset('none'); // the fetcher reports that one
    await resolveResetsAtJoin(core, all);
    assert.equal(state.get('t', 0)!.position, 42, 'latest: the log end at the join');
    assert.equal(state.get('t', 1)!.position, 3);
    assert.equal(state.get('t', 2)!.position, 10);
    assert.equal(state.get('t', 3)!.position, null);
    assert.deepEqual(asked.sort(), [0, 1]);
  });
});
