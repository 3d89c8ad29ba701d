import type { ConsumerCore } from './core.js';
import { Codes, protocolError } from './errors.js';
import { KafkaJSGroupJoinTimeout } from './join-errors.js';
import { sleep } from './signal.js';

/** Topic errors in a Metadata answer that waiting may cure: being created, or electing a leader. */
const TOPIC_PENDING = new Set<number>([Codes.UNKNOWN_TOPIC_OR_PARTITION, Codes.LEADER_NOT_AVAILABLE]);

export interface FirstJoinOptions {
  groupId: string;
  /** When run() gives up (ms since the epoch). */
  deadline: number;
  timeoutMs: number;
  allowAutoTopicCreation: boolean;
  /** Rejects when a part of the consumer reports a fatal error while joining; resolves when stop() is called. */
  interrupted: Promise<void>;
  running(): boolean;
}

/**
 * KafkaJS's `run()` contract: resolve only once the member has joined the group and received
 * its assignment (with positions fixed, see AssignmentHandler), so that a program may read the
 * GROUP_JOIN assignment and produce right after `await consumer.run()` without losing a record.
 * Named topics are waited for first: a group joined without them gives an empty assignment that
 * would look like success. Errors that waiting cannot cure reject at once; anything else is
 * retried until `deadline`, then reported as {@link KafkaJSGroupJoinTimeout} naming the last cause.
 */
export async function awaitFirstJoin(core: ConsumerCore, options: FirstJoinOptions): Promise<void> {
  const timeout = (cause: Error | undefined) =>
    new KafkaJSGroupJoinTimeout(options.groupId, options.timeoutMs, cause);
  const topics = { missing: undefined as Error | undefined };
  await withDeadline(waitForTopics(core, options, topics), options, () => timeout(topics.missing));
  const group = core.group;
  if (!group || !options.running()) return;
  const join = group.ensureActive();
  join.catch(() => {});
  await withDeadline(join, options, () => timeout(group.lastError));
}

async function withDeadline(
  work: Promise<void>,
  options: FirstJoinOptions,
  onTimeout: () => Error,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, options.deadline - Date.now()));
  });
  try {
    return await Promise.race([work, expired, options.interrupted]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when every subscribed topic named literally is in the metadata; throws what cannot be waited out. */
async function waitForTopics(
  core: ConsumerCore,
  options: FirstJoinOptions,
  seen: { missing: Error | undefined },
): Promise<void> {
  const named = [
    ...new Set(core.subscriptions.flatMap((s) => (typeof s.topic === 'string' ? [s.topic] : []))),
  ];
  if (named.length === 0) return;
  for (let attempt = 0; options.running() && Date.now() < options.deadline; attempt++) {
    let res: Awaited<ReturnType<typeof core.cluster.metadata>>;
    try {
      res = await core.cluster.metadata(named);
    } catch (e) {
      if ((e as { retriable?: boolean }).retriable !== true) throw e;
      seen.missing = e as Error;
      await sleep(Math.min(100 * 2 ** attempt, 1000));
      continue;
    }
    core.catalog.update(res);
    const missing: string[] = [];
    for (const t of res.topics) {
      if (t.name === null || t.errorCode === Codes.NONE) continue;
      if (!TOPIC_PENDING.has(t.errorCode)) throw protocolError(t.errorCode, `Subscribed topic ${t.name}`);
      missing.push(t.name);
    }
    if (missing.length === 0) return;
    seen.missing = protocolError(
      Codes.UNKNOWN_TOPIC_OR_PARTITION,
      `subscribed topic(s) ${missing.join(', ')} not found` +
        (options.allowAutoTopicCreation
          ? ' (and the broker did not create them)'
          : ' and allowAutoTopicCreation is false'),
    );
    await sleep(Math.min(100 * 2 ** attempt, 1000));
  }
}
