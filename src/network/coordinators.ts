import { KafkaJSError } from '../errors/base.js';
import { createProtocolError } from '../errors/protocol.js';
import { Codes } from '../protocol/codes.js';
import { FindCoordinator } from '../protocol/messages/find-coordinator.js';
import type { Connection } from './connection.js';
import type { BrokerMetadata } from './metadata.js';

export type CoordinatorType = 'group' | 'transaction';

const KEY_TYPE: Record<CoordinatorType, number> = { group: 0, transaction: 1 };

/** NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS: forget the cached coordinator. */
export const COORDINATOR_ERROR_CODES: ReadonlySet<number> = new Set<number>([
  Codes.NOT_COORDINATOR,
  Codes.COORDINATOR_NOT_AVAILABLE,
  Codes.COORDINATOR_LOAD_IN_PROGRESS,
]);

export function isCoordinatorError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof KafkaJSError && typeof code === 'number' && COORDINATOR_ERROR_CODES.has(code);
}

interface Batch {
  keys: Map<string, Array<{ resolve: (b: BrokerMetadata) => void; reject: (e: unknown) => void }>>;
}

/**
 * Finds and caches group and transaction coordinators. Lookups made in the same tick are
 * batched into one FindCoordinator request (v4+ takes a list of keys); older brokers get one
 * request per key.
 */
export class CoordinatorCache {
  private readonly cache = new Map<string, BrokerMetadata>();
  private readonly batches = new Map<CoordinatorType, Batch>();

  constructor(private readonly connection: () => Promise<Connection>) {}

  get(type: CoordinatorType, key: string): BrokerMetadata | undefined {
    return this.cache.get(`${type}:${key}`);
  }

  invalidate(type: CoordinatorType, key: string): void {
    this.cache.delete(`${type}:${key}`);
  }

  clear(): void {
    this.cache.clear();
  }

  /** The cached coordinator, or one lookup shared with every concurrent caller. Errors are typed and (mostly) retriable. */
  find(type: CoordinatorType, key: string): Promise<BrokerMetadata> {
    const cached = this.cache.get(`${type}:${key}`);
    if (cached) return Promise.resolve(cached);
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(type);
      if (!batch) {
        batch = { keys: new Map() };
        this.batches.set(type, batch);
        const b = batch;
        setImmediate(() => {
          this.batches.delete(type);
          this.flush(type, b).catch((error: unknown) => {
            for (const waiters of b.keys.values()) for (const w of waiters) w.reject(error);
          });
        });
      }
      let waiters = batch.keys.get(key);
      if (!waiters) {
        waiters = [];
        batch.keys.set(key, waiters);
      }
      waiters.push({ resolve, reject });
    });
  }

  private async flush(type: CoordinatorType, batch: Batch): Promise<void> {
    const connection = await this.connection();
    const keyType = KEY_TYPE[type];
    const version = connection.versionFor(FindCoordinator);
    const settle = (
      key: string,
      errorCode: number,
      errorMessage: string | null | undefined,
      b: BrokerMetadata,
    ) => {
      const waiters = batch.keys.get(key) ?? [];
      if (errorCode !== Codes.NONE) {
        const error = createProtocolError(errorCode, errorMessage);
        for (const w of waiters) w.reject(error);
        return;
      }
      this.cache.set(`${type}:${key}`, b);
      for (const w of waiters) w.resolve(b);
    };
    const keys = [...batch.keys.keys()];
    if (version >= 4) {
      const response = await connection.send(
        FindCoordinator,
        { keyType, coordinatorKeys: keys },
        { version },
      );
      for (const c of response.coordinators ?? []) {
        settle(c.key, c.errorCode, c.errorMessage, {
          nodeId: c.nodeId,
          host: c.host,
          port: c.port,
          rack: null,
        });
      }
      return;
    }
    await Promise.all(
      keys.map(async (key) => {
        try {
          const r = await connection.send(FindCoordinator, { key, keyType }, { version });
          settle(key, r.errorCode ?? Codes.NONE, r.errorMessage, {
            nodeId: r.nodeId ?? -1,
            host: r.host ?? '',
            port: r.port ?? -1,
            rack: null,
          });
        } catch (error) {
          for (const w of batch.keys.get(key) ?? []) w.reject(error);
        }
      }),
    );
  }
}
