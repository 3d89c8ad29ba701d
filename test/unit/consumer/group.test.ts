import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PartitionAssigners } from '../../../src/consumer/assignors/index.js';
import { ClassicGroup } from '../../../src/consumer/group/classic.js';
import { ConsumerGroup848 } from '../../../src/consumer/group/consumer-protocol-848.js';
import type { MembershipListener } from '../../../src/consumer/group/membership.js';
import type { TopicPartition } from '../../../src/consumer/subscription-state.js';
import { TopicCatalog } from '../../../src/consumer/topic-catalog.js';
import { encodeAssignment } from '../../../src/group/consumer-protocol.js';
import { nullLogger } from '../../../src/logger.js';
import { Codes } from '../../../src/protocol/codes.js';
import {
  ConsumerGroupHeartbeat,
  type ConsumerGroupHeartbeatRequest,
  Heartbeat,
  JoinGroup,
  type JoinGroupRequest,
  LeaveGroup,
  SyncGroup,
  type SyncGroupRequest,
} from '../../../src/protocol/messages/index.js';
import { FakeCluster, metadataFor } from './fake-cluster.js';

class FakeListener implements MembershipListener {
  owned: TopicPartition[] = [];
  log: string[] = [];
  fatalError: Error | undefined;
  subscribedTopics() {
    return ['t'];
  }
  subscription() {
    return { names: ['t'], patterns: [] };
  }
  ownedPartitions() {
    return [...this.owned];
  }
  async revoke(ps: TopicPartition[]) {
    this.log.push(`revoke ${ps.map((p) => p.partition).join(',')}`);
    this.owned = this.owned.filter(
      (o) => !ps.some((p) => p.topic === o.topic && p.partition === o.partition),
    );
  }
  async assign(ps: TopicPartition[]) {
    this.log.push(`assign ${ps.map((p) => p.partition).join(',')}`);
    this.owned.push(...ps);
  }
  async lose(ps: TopicPartition[]) {
    this.log.push(`lose ${ps.map((p) => p.partition).join(',')}`);
    this.owned = [];
  }
  emit(_type: string, _payload: Record<string, unknown>) {}
  fatal(e: Error) {
    this.fatalError = e;
  }
}

const catalog = new TopicCatalog();
catalog.update(metadataFor({ t: { id: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: 4 } }));
const assignerCluster = { findTopicPartitionMetadata: (t: string) => catalog.partitionMetadata(t) };

/** Polls until `predicate` holds (fails after `ms`): no fixed sleeps on a loaded machine. */
async function until(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function classic(cluster: FakeCluster, listener: FakeListener, assigner = PartitionAssigners.range) {
  cluster.versions = { JoinGroup: 9, SyncGroup: 5, Heartbeat: 4, LeaveGroup: 5 };
  return new ClassicGroup(
    cluster,
    {
      groupId: 'g',
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 20,
      groupInstanceId: null,
      rackId: null,
      assigners: [assigner({ cluster: assignerCluster, groupId: 'g', logger: nullLogger })],
      prepareAssignment: async () => {},
      logger: nullLogger,
    },
    listener,
  );
}

describe('ClassicGroup', () => {
  it('rejoins with the member id from MEMBER_ID_REQUIRED, assigns as leader, and syncs', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    let joins = 0;
    cluster
      .on(JoinGroup, (req: JoinGroupRequest) => {
        joins++;
        if (req.memberId === '') {
          return {
            errorCode: Codes.MEMBER_ID_REQUIRED,
            generationId: -1,
            protocolName: null,
            leader: '',
            memberId: 'm-1',
            members: [],
          };
        }
        return {
          errorCode: 0,
          generationId: 3,
          protocolName: 'range',
          leader: 'm-1',
          memberId: 'm-1',
          members: [{ memberId: 'm-1', groupInstanceId: null, metadata: req.protocols[0]!.metadata }],
        };
      })
      .on(SyncGroup, (req: SyncGroupRequest) => ({
        errorCode: 0,
        assignment: req.assignments[0]!.assignment,
      }))
      .on(Heartbeat, () => ({ errorCode: 0 }))
      .on(LeaveGroup, () => ({ errorCode: 0 }));
    const g = classic(cluster, listener);
    await g.ensureActive();
    assert.equal(joins, 2);
    assert.deepEqual(g.identity(), { memberId: 'm-1', generationIdOrMemberEpoch: 3, groupInstanceId: null });
    assert.deepEqual(listener.log, ['assign 0,1,2,3']);
    assert.equal(g.needsRejoin, false);
    try {
      // heartbeats run on their own timer
      await until(() => cluster.requests('Heartbeat').length >= 2, 'two heartbeats');
    } finally {
      await g.leave();
    }
    assert.equal(cluster.requests('LeaveGroup').length, 1);
  });

  it('a JoinGroup whose connection failed is sent again (the member does not stay outside the group)', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    let joins = 0;
    cluster
      .on(JoinGroup, (req: JoinGroupRequest) => {
        joins++;
        // The coordinator's connection closes under the first JoinGroup (its broker was killed).
        if (joins === 1) throw new Error('Connection to 127.0.0.1:1 closed');
        return {
          errorCode: 0,
          generationId: 1,
          protocolName: 'range',
          leader: 'm-1',
          memberId: 'm-1',
          members: [{ memberId: 'm-1', groupInstanceId: null, metadata: req.protocols[0]!.metadata }],
        };
      })
      .on(SyncGroup, (req: SyncGroupRequest) => ({
        errorCode: 0,
        assignment: req.assignments[0]!.assignment,
      }))
      .on(Heartbeat, () => ({ errorCode: 0 }))
      .on(LeaveGroup, () => ({ errorCode: 0 }));
    const g = classic(cluster, listener);
    try {
      await g.ensureActive();
      assert.equal(joins, 2, 'the failed JoinGroup was retried');
      assert.deepEqual(listener.log, ['assign 0,1,2,3']);
      assert.equal(g.needsRejoin, false);
    } finally {
      await g.leave();
    }
  });

  it('eager: revokes everything before rejoining', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    listener.owned = [{ topic: 't', partition: 0 }];
    cluster
      .on(JoinGroup, () => ({
        errorCode: 0,
        generationId: 1,
        protocolName: 'range',
        leader: 'other',
        memberId: 'm-1',
        members: [],
      }))
      .on(SyncGroup, () => ({
        errorCode: 0,
        assignment: encodeAssignment({ assignedPartitions: [{ topic: 't', partitions: [0, 1] }] }),
      }))
      .on(Heartbeat, () => ({ errorCode: 0 }));
    const g = classic(cluster, listener);
    await g.ensureActive();
    g.close();
    assert.deepEqual(listener.log, ['revoke 0', 'assign 0,1']);
  });

  it('cooperative: revokes only what moved, then rejoins once more', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    listener.owned = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ];
    let gen = 0;
    cluster
      .on(JoinGroup, (req: JoinGroupRequest) => {
        assert.equal(req.protocols[0]!.name, 'cooperative-sticky');
        return {
          errorCode: 0,
          generationId: ++gen,
          protocolName: 'cooperative-sticky',
          leader: 'x',
          memberId: 'm',
          members: [],
        };
      })
      .on(SyncGroup, () => ({
        errorCode: 0,
        assignment: encodeAssignment({ assignedPartitions: [{ topic: 't', partitions: [0] }] }),
      }))
      .on(Heartbeat, () => ({ errorCode: 0 }));
    const g = classic(cluster, listener, PartitionAssigners.cooperativeSticky);
    assert.equal(g.rebalance, 'cooperative');
    await g.ensureActive();
    g.close();
    assert.equal(gen, 2, 'a second join follows the revocation');
    assert.deepEqual(listener.log, ['revoke 1']);
    assert.deepEqual(listener.owned, [{ topic: 't', partition: 0 }]);
  });

  it('a heartbeat answered REBALANCE_IN_PROGRESS asks for a rejoin; UNKNOWN_MEMBER_ID loses partitions', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    let hb = 27;
    cluster
      .on(JoinGroup, () => ({
        errorCode: 0,
        generationId: 1,
        protocolName: 'range',
        leader: 'x',
        memberId: 'm',
        members: [],
      }))
      .on(SyncGroup, () => ({
        errorCode: 0,
        assignment: encodeAssignment({ assignedPartitions: [{ topic: 't', partitions: [2] }] }),
      }))
      .on(Heartbeat, () => ({ errorCode: hb }));
    const g = classic(cluster, listener);
    await g.ensureActive();
    try {
      await until(() => g.needsRejoin, 'a rejoin asked for by the heartbeat');
      hb = 25;
      await g.ensureActive();
      await until(() => listener.log.includes('lose 2'), 'the partitions lost');
    } finally {
      g.close();
    }
    assert.equal(g.identity().memberId, '');
  });

  it('a fenced static member is fatal', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    cluster.on(JoinGroup, () => ({
      errorCode: Codes.FENCED_INSTANCE_ID,
      generationId: -1,
      protocolName: null,
      leader: '',
      memberId: '',
      members: [],
    }));
    const g = classic(cluster, listener);
    await assert.rejects(g.ensureActive(), /FENCED_INSTANCE_ID/);
    assert.ok(listener.fatalError);
  });
});

describe('ConsumerGroup848', () => {
  const T = 'AAAAAAAAAAAAAAAAAAAAAQ';

  function group(cluster: FakeCluster, listener: FakeListener) {
    cluster.versions = { ConsumerGroupHeartbeat: 1 };
    return new ConsumerGroup848(
      cluster,
      catalog,
      {
        groupId: 'g',
        groupInstanceId: null,
        rackId: null,
        rebalanceTimeout: 10_000,
        serverAssignor: 'uniform',
        refreshMetadata: async () => {},
        logger: nullLogger,
      },
      listener,
    );
  }

  it('joins with epoch 0, reconciles (revoke before assign) and acknowledges', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    const responses: Array<Array<number> | null> = [[0, 1], null, [1, 2], null];
    let epoch = 0;
    cluster.on(ConsumerGroupHeartbeat, () => {
      const parts = responses.shift() ?? null;
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        memberId: null,
        memberEpoch: ++epoch,
        heartbeatIntervalMs: 60_000,
        assignment: parts === null ? null : { topicPartitions: [{ topicId: T, partitions: parts }] },
      };
    });
    const g = group(cluster, listener);
    await g.ensureActive();
    assert.deepEqual(listener.log, ['assign 0,1']);
    const reqs = cluster.requests('ConsumerGroupHeartbeat') as ConsumerGroupHeartbeatRequest[];
    assert.equal(reqs[0]!.memberEpoch, 0);
    assert.deepEqual(reqs[0]!.subscribedTopicNames, ['t']);
    assert.equal(reqs[0]!.serverAssignor, 'uniform');
    assert.ok(reqs[0]!.memberId.length > 0, 'the member id is generated by the client');
    assert.deepEqual(
      reqs[1]!.topicPartitions,
      [{ topicId: T, partitions: [0, 1] }],
      'the ack lists what is owned',
    );
    // A new target arrives with the next heartbeat.
    g.requestRejoin('test');
    await g.ensureActive();
    assert.deepEqual(listener.log, ['assign 0,1', 'revoke 0', 'assign 2']);
    g.close();
  });

  /** A heartbeat answer: `parts` null repeats the last assignment, [] assigns nothing. */
  const answer = (memberEpoch: number, parts: number[] | null, heartbeatIntervalMs = 5000) => ({
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    memberId: null,
    memberEpoch,
    heartbeatIntervalMs,
    assignment:
      parts === null ? null : { topicPartitions: parts.length ? [{ topicId: T, partitions: parts }] : [] },
  });

  class JoinListener extends FakeListener {
    joins: Array<Record<string, number[]>> = [];
    override emit(type: string, payload: Record<string, unknown>) {
      if (type === 'group_join') this.joins.push(payload.memberAssignment as Record<string, number[]>);
    }
  }

  it('joined with nothing while its topics have partitions: asks again before GROUP_JOIN (the coordinator lagged)', async () => {
    // Kafka 4.4 seen from the NestJS loop: the first answer assigns nothing (the coordinator's view
    // of the just-created topics lagged), and the assignment comes with a later heartbeat. The
    // join must not be announced (nor run() resolve) empty: a `latest` reset at the real
    // assignment, 5 s later, skipped the request produced in between.
    const cluster = new FakeCluster();
    const listener = new JoinListener();
    const answers = [answer(2, []), answer(2, null), answer(3, [0, 1, 2, 3])];
    cluster.on(ConsumerGroupHeartbeat, () => answers.shift() ?? answer(3, null));
    const g = group(cluster, listener);
    const started = Date.now();
    await g.ensureActive();
    g.close();
    assert.deepEqual(listener.log, ['assign 0,1,2,3']);
    assert.deepEqual(listener.joins, [{ t: [0, 1, 2, 3] }], 'one GROUP_JOIN, with the partitions');
    assert.ok(Date.now() - started < 2000, 'asked again within a few hundred ms, not at the 5 s interval');
  });

  it('a member that stays empty (more members than partitions) joins empty after the grace', async () => {
    const cluster = new FakeCluster();
    const listener = new JoinListener();
    // A 300 ms heartbeat interval bounds the grace below EMPTY_JOIN_GRACE_MS.
    cluster.on(ConsumerGroupHeartbeat, () => answer(2, [], 300));
    const g = group(cluster, listener);
    const started = Date.now();
    await g.ensureActive();
    const took = Date.now() - started;
    g.close();
    assert.deepEqual(listener.joins, [{}]);
    assert.ok(took >= 250 && took < 1500, `announced after the grace, took ${took} ms`);
    assert.ok(cluster.requests('ConsumerGroupHeartbeat').length >= 2, 'asked again meanwhile');
  });

  it('a fenced member loses its partitions and rejoins with epoch 0', async () => {
    const cluster = new FakeCluster();
    const listener = new FakeListener();
    let n = 0;
    cluster.on(ConsumerGroupHeartbeat, (req: ConsumerGroupHeartbeatRequest) => {
      n++;
      const fenced = n === 3;
      return {
        throttleTimeMs: 0,
        errorCode: fenced ? 110 : 0,
        errorMessage: null,
        memberId: null,
        memberEpoch: fenced ? 0 : req.memberEpoch + 1,
        heartbeatIntervalMs: 60_000,
        assignment: n === 1 || n === 4 ? { topicPartitions: [{ topicId: T, partitions: [3] }] } : null,
      };
    });
    const g = group(cluster, listener);
    await g.ensureActive();
    g.requestRejoin('test');
    await g.ensureActive();
    g.close();
    const reqs = cluster.requests('ConsumerGroupHeartbeat') as ConsumerGroupHeartbeatRequest[];
    assert.deepEqual(listener.log, ['assign 3', 'lose 3', 'assign 3']);
    assert.equal(reqs[3]!.memberEpoch, 0);
  });
});
