/**
 * Fan-out of per-broker admin requests. Many admin calls concern items that live on different
 * brokers (partitions on their leaders, groups on their coordinators, log dirs on every broker).
 * {@link shardRequests} routes each item to its broker, sends one request per broker in
 * parallel, and returns one outcome per item in the caller's order. An item whose routing or
 * broker fails gets its own error; an item that fails retriably (stale leader, coordinator moved,
 * broker unreachable) is routed and sent again after `beforeRetry` (a metadata refresh), up to
 * `attempts` times. A failure never hides the other items' results.
 */
import { KafkaJSError } from '../errors/base.js';
import { type AdminItemContext, tagError } from './errors.js';

export type ItemOutcome<T, V> =
  | { item: T; value: V; error?: undefined }
  | { item: T; error: Error; value?: undefined };

export interface ShardOptions<T, V> {
  items: readonly T[];
  /** The node that serves an item; a throw fails that item only. */
  route(item: T): Promise<number> | number;
  /**
   * One request to one node for the items routed to it. Returns an outcome per item; an item
   * missing from the answer fails. A throw fails every item of this node.
   */
  send(nodeId: number, items: T[]): Promise<Array<ItemOutcome<T, V>>>;
  /** Called once before each new attempt of the items that failed retriably. */
  beforeRetry?(failed: Array<ItemOutcome<T, V>>): Promise<void>;
  /** Tries per item, the first included (default 3). */
  attempts?: number;
  /** Milliseconds before the first new attempt, doubled each time up to 1 s (default 100; 0 for none). */
  backoffMs?: number;
  /** Which errors are worth another attempt (default: a KafkaJSError marked retriable). */
  shouldRetry?(error: Error): boolean;
  /** How to tag an item's error so that the caller sees which item it concerns. */
  describe?(item: T): AdminItemContext;
}

function defaultShouldRetry(error: Error): boolean {
  return error instanceof KafkaJSError && error.retriable;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new KafkaJSError(String(e), { retriable: false });
}

/** Groups items by a key, keeping their order inside each group. */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export async function shardRequests<T, V>(options: ShardOptions<T, V>): Promise<Array<ItemOutcome<T, V>>> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const shouldRetry = options.shouldRetry ?? defaultShouldRetry;
  const results = new Map<T, ItemOutcome<T, V>>();
  let pending: T[] = [...options.items];

  for (let attempt = 1; pending.length > 0; attempt++) {
    const byNode = new Map<number, T[]>();
    await Promise.all(
      pending.map(async (item) => {
        try {
          const node = await options.route(item);
          const list = byNode.get(node);
          if (list) list.push(item);
          else byNode.set(node, [item]);
        } catch (e) {
          results.set(item, { item, error: asError(e) });
        }
      }),
    );
    await Promise.all(
      [...byNode].map(async ([node, items]) => {
        let outcomes: Array<ItemOutcome<T, V>>;
        try {
          outcomes = await options.send(node, items);
        } catch (e) {
          const error = asError(e);
          for (const item of items) results.set(item, { item, error });
          return;
        }
        const answered = new Set<T>();
        for (const o of outcomes) {
          answered.add(o.item);
          results.set(o.item, o);
        }
        for (const item of items) {
          if (!answered.has(item)) {
            results.set(item, {
              item,
              error: new KafkaJSError(`Broker ${node} did not answer for this item`, { retriable: false }),
            });
          }
        }
      }),
    );
    if (attempt >= attempts) break;
    const retry = pending.filter((item) => {
      const r = results.get(item);
      return r?.error !== undefined && shouldRetry(r.error);
    });
    if (retry.length === 0) break;
    const backoff = Math.min((options.backoffMs ?? 100) * 2 ** (attempt - 1), 1000);
    if (backoff > 0) await new Promise((resolve) => setTimeout(resolve, backoff));
    if (options.beforeRetry) {
      try {
        await options.beforeRetry(retry.map((item) => results.get(item)!));
      } catch {
        // The refresh failing is no reason to stop: the next attempt reports its own errors.
      }
    }
    pending = retry;
  }

  return options.items.map((item) => {
    const r = results.get(item) ?? {
      item,
      error: new KafkaJSError('Item was never sent', { retriable: false }),
    };
    if (r.error && options.describe) {
      // One error object may be shared by every item of a failed broker request: tag a copy per item.
      const ctx = options.describe(item);
      const own = Object.keys(ctx).some((k) => k in r.error) ? cloneError(r.error) : r.error;
      return { item, error: tagError(own, ctx) };
    }
    return r;
  });
}

function cloneError(e: Error): Error {
  const copy = Object.create(Object.getPrototypeOf(e)) as Error;
  Object.assign(copy, e);
  Object.defineProperty(copy, 'message', { value: e.message, writable: true, configurable: true });
  Object.defineProperty(copy, 'stack', { value: e.stack, writable: true, configurable: true });
  return copy;
}
