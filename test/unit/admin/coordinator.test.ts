import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdminCluster } from '../../../src/admin/context.js';
import { onCoordinator } from '../../../src/admin/coordinator.js';
import { KafkaJSBrokerNotFound, KafkaJSConnectionError } from '../../../src/errors/network.js';
import { createProtocolError } from '../../../src/errors/protocol.js';

/** A coordinator cache: node 1 until forgotten, then node 2 (the coordinator that took over). */
function fakeCluster() {
  const state = { cached: 1 as number | undefined, lookups: 0, forgotten: 0 };
  const cluster = {
    async coordinator() {
      if (state.cached === undefined) {
        state.lookups++;
        state.cached = 2;
      }
      return state.cached;
    },
    forgetCoordinator() {
      state.forgotten++;
      state.cached = undefined;
    },
  } as unknown as AdminCluster;
  return { cluster, state };
}

describe('admin onCoordinator', () => {
  it('a coordinator whose broker refuses connections is forgotten and the new one is asked', async () => {
    const { cluster, state } = fakeCluster();
    const asked: number[] = [];
    const result = await onCoordinator(cluster, 'group', 'g', async (node) => {
      asked.push(node);
      if (node === 1) throw new KafkaJSConnectionError('connect ECONNREFUSED', { code: 'ECONNREFUSED' });
      return 'answered';
    });
    assert.equal(result, 'answered');
    assert.deepEqual(asked, [1, 2]);
    assert.equal(state.forgotten, 1);
  });

  it('a coordinator no longer in the metadata (its broker fenced) is forgotten too', async () => {
    const { cluster, state } = fakeCluster();
    const asked: number[] = [];
    await onCoordinator(cluster, 'group', 'g', async (node) => {
      asked.push(node);
      if (node === 1)
        throw new KafkaJSBrokerNotFound('Broker 1 is not in the cluster metadata', { nodeId: 1 });
    });
    assert.deepEqual(asked, [1, 2]);
    assert.equal(state.forgotten, 1);
  });

  it('NOT_COORDINATOR (16) forgets the coordinator; COORDINATOR_LOAD_IN_PROGRESS (14) asks the same one again', async () => {
    const moved = fakeCluster();
    const askedMoved: number[] = [];
    await onCoordinator(moved.cluster, 'group', 'g', async (node) => {
      askedMoved.push(node);
      if (node === 1) throw createProtocolError(16);
    });
    assert.deepEqual(askedMoved, [1, 2]);

    const loading = fakeCluster();
    const askedLoading: number[] = [];
    await onCoordinator(loading.cluster, 'group', 'g', async (node) => {
      askedLoading.push(node);
      if (askedLoading.length === 1) throw createProtocolError(14);
    });
    assert.deepEqual(askedLoading, [1, 1]);
    assert.equal(loading.state.forgotten, 0);
  });

  it('a TLS failure (not retriable) is thrown at once, the coordinator kept', async () => {
    const { cluster, state } = fakeCluster();
    let calls = 0;
    const tlsError = new KafkaJSConnectionError('TLS connection failed', {
      code: 'ERR_TLS',
      retriable: false,
    });
    await assert.rejects(
      onCoordinator(cluster, 'group', 'g', async () => {
        calls++;
        throw tlsError;
      }),
      (e: unknown) => e === tlsError,
    );
    assert.equal(calls, 1);
    assert.equal(state.forgotten, 0);
  });
});
