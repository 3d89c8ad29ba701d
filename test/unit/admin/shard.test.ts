import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSAggregateError, tagError } from '../../../src/admin/errors.js';
import { groupBy, shardRequests } from '../../../src/admin/shard.js';
import { KafkaJSError } from '../../../src/errors/base.js';

describe('shardRequests', () => {
  it('sends one request per node and answers in the caller order', async () => {
    const calls: Array<[number, string[]]> = [];
    const leaders: Record<string, number> = { a: 1, b: 2, c: 1, d: 3 };
    const out = await shardRequests<string, string>({
      items: ['a', 'b', 'c', 'd'],
      route: (item) => leaders[item]!,
      send: async (node, items) => {
        calls.push([node, items]);
        return items.map((item) => ({ item, value: `${item}@${node}` }));
      },
    });
    assert.deepEqual(
      out.map((o) => o.value),
      ['a@1', 'b@2', 'c@1', 'd@3'],
    );
    assert.deepEqual(
      calls.sort((x, y) => x[0] - y[0]),
      [
        [1, ['a', 'c']],
        [2, ['b']],
        [3, ['d']],
      ],
    );
  });

  it('fails only the items of a broken broker or an unroutable item, tagging each', async () => {
    const out = await shardRequests<string, number>({
      items: ['a', 'b', 'c'],
      route: (item) => {
        if (item === 'c') throw new KafkaJSError('no leader for c', { retriable: false });
        return item === 'a' ? 1 : 2;
      },
      send: async (node, items) => {
        if (node === 2) throw new KafkaJSError('broker 2 down', { retriable: false });
        return items.map((item) => ({ item, value: 1 }));
      },
      attempts: 1,
      describe: (item) => ({ topic: item }),
    });
    assert.equal(out[0]!.value, 1);
    assert.match(out[1]!.error!.message, /broker 2 down/);
    assert.equal((out[1]!.error as { topic?: string }).topic, 'b');
    assert.match(out[2]!.error!.message, /no leader for c/);
    assert.equal((out[2]!.error as { topic?: string }).topic, 'c');
  });

  it('retries retriable item failures after beforeRetry, and not the others', async () => {
    let leaderOfB = 1;
    let refreshes = 0;
    const sent: string[] = [];
    const out = await shardRequests<string, string>({
      items: ['a', 'b', 'c'],
      route: (item) => (item === 'b' ? leaderOfB : 1),
      send: async (node, items) => {
        sent.push(`${node}:${items.join(',')}`);
        return items.map((item) => {
          if (item === 'b' && node !== 2)
            return { item, error: new KafkaJSError('not leader', { retriable: true }) };
          if (item === 'c') return { item, error: new KafkaJSError('fatal', { retriable: false }) };
          return { item, value: `${item}@${node}` };
        });
      },
      beforeRetry: async (failed) => {
        refreshes++;
        assert.deepEqual(
          failed.map((f) => f.item),
          ['b'],
        );
        leaderOfB = 2;
      },
    });
    assert.equal(refreshes, 1);
    assert.deepEqual(sent, ['1:a,b,c', '2:b']);
    assert.equal(out[1]!.value, 'b@2');
    assert.match(out[2]!.error!.message, /fatal/);
  });

  it('gives up after the attempts and keeps the last error', async () => {
    let n = 0;
    const out = await shardRequests<string, string>({
      items: ['x'],
      route: () => 1,
      send: async (_node, items) => {
        n++;
        return items.map((item) => ({ item, error: new KafkaJSError(`try ${n}`, { retriable: true }) }));
      },
      attempts: 3,
      backoffMs: 1,
    });
    assert.equal(n, 3);
    assert.match(out[0]!.error!.message, /try 3/);
  });

  it('fails an item the broker left out of its answer', async () => {
    const out = await shardRequests<string, string>({
      items: ['a', 'b'],
      route: () => 7,
      send: async () => [{ item: 'a', value: 'ok' }],
      attempts: 1,
    });
    assert.equal(out[0]!.value, 'ok');
    assert.match(out[1]!.error!.message, /Broker 7 did not answer/);
  });
});

describe('admin errors', () => {
  it('groups items and lists item failures in an aggregate error', () => {
    assert.deepEqual(
      [...groupBy([1, 2, 3, 4], (n) => n % 2)],
      [
        [1, [1, 3]],
        [0, [2, 4]],
      ],
    );
    const e = new KafkaJSAggregateError('Topic creation errors', [
      tagError(
        new KafkaJSError('Replication factor: 5 larger than available brokers: 1.', { retriable: false }),
        { topic: 't1' },
      ),
      tagError(new KafkaJSError('timed out', { retriable: true }), { topic: 't2' }),
    ]);
    assert.match(e.message, /topic "t1": Replication factor: 5 larger/);
    assert.match(e.message, /topic "t2": timed out/);
    assert.equal(e.errors.length, 2);
    assert.equal(e.errors[0]!.topic, 't1');
    assert.equal(e.retriable, false);
  });
});
