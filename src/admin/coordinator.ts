/** Running a request on a group or transaction coordinator, following it when it moves. */
import { KafkaJSBrokerNotFound, KafkaJSConnectionError } from '../errors/network.js';
import { KafkaJSProtocolError } from '../errors/protocol.js';
import { Codes, isCoordinatorMoved, sleep } from './common.js';
import type { AdminCluster, CoordinatorType } from './context.js';

/** The coordinator's broker could not be reached (it may have died): find the coordinator again. */
function unreachable(e: unknown): boolean {
  return (e instanceof KafkaJSConnectionError && e.retriable) || e instanceof KafkaJSBrokerNotFound;
}

function movedOrLoading(e: unknown): boolean {
  return (
    e instanceof KafkaJSProtocolError &&
    (isCoordinatorMoved(e.code) || e.code === Codes.COORDINATOR_LOAD_IN_PROGRESS)
  );
}

/**
 * Runs `fn` against the coordinator of `key`. When the answer says the coordinator moved, or its
 * broker cannot be reached, the coordinator is looked up again; when it is still loading, the same
 * one is asked again. Either way `fn` runs again, a few times with a short backoff. `fn` throws
 * the broker's error for a group-level code so that this loop sees it.
 */
export async function onCoordinator<T>(
  cluster: AdminCluster,
  type: CoordinatorType,
  key: string,
  fn: (nodeId: number) => Promise<T>,
  attempts = 6,
): Promise<T> {
  let delay = 100;
  for (let attempt = 1; ; attempt++) {
    const node = await cluster.coordinator(type, key);
    try {
      return await fn(node);
    } catch (e) {
      if (!(movedOrLoading(e) || unreachable(e)) || attempt >= attempts) throw e;
      if ((e instanceof KafkaJSProtocolError && isCoordinatorMoved(e.code)) || unreachable(e))
        cluster.forgetCoordinator(type, key);
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    }
  }
}
