/**
 * Log truncation detection (KIP-320), as the Java consumer does it.
 *
 * A position is only as good as the history it was read from. When a partition's leader
 * changes, the new leader's log may have diverged from what we read: with an unclean election
 * (or acks < all) records past some offset were lost and the offsets reused by new records. A
 * consumer that simply fetches on from its position then skips the new records at the reused
 * offsets, silently. So a position whose leader epoch is known (from the last fetched batch, or
 * from the committed offset) is validated before the next fetch whenever the partition's leader
 * epoch is newer than the one it was last confirmed under: OffsetForLeaderEpoch asks the leader
 * where the epoch of our last record ends in its log. If that end is before our position, the
 * log was truncated below it: the position moves back to the end offset (the first offset that
 * may differ) when the subscription has a reset policy, and the consumer fails with a typed
 * error under `autoOffsetReset: 'none'`, as Java's LogTruncationException.
 */
import type { Logger } from '../logger.js';
import { OffsetForLeaderEpoch } from '../protocol/messages/index.js';
import type { ConsumerCluster } from './context.js';
import { Codes, LEADERSHIP_ERRORS, protocolError } from './errors.js';
import type { PartitionState, ResetPolicy } from './subscription-state.js';
import type { TopicCatalog } from './topic-catalog.js';

/** True when the position must be checked against the leader before fetching on. */
export function needsValidation(s: PartitionState, catalog: TopicCatalog): boolean {
  if (s.position === null || s.leaderEpoch < 0) return false;
  const route = catalog.route(s.topic, s.partition);
  return route !== undefined && route.leader >= 0 && route.leaderEpoch > s.validatedEpoch;
}

export interface ValidationHooks {
  resetPolicy(topic: string): ResetPolicy;
  onFatal(error: Error): void;
  /** A partition whose leader could not answer: wait for fresher metadata. */
  onStale(s: PartitionState): void;
}

/** OffsetForLeaderEpoch v3+ carries a replica id of -1 for consumers (v2 lacks the field). */
const MIN_CONSUMER_VERSION = 3;

export async function validatePositions(
  cluster: ConsumerCluster,
  catalog: TopicCatalog,
  pending: readonly PartitionState[],
  hooks: ValidationHooks,
  logger: Logger,
): Promise<void> {
  const byLeader = new Map<number, PartitionState[]>();
  for (const s of pending) {
    const leader = catalog.route(s.topic, s.partition)!.leader;
    const l = byLeader.get(leader);
    if (l) l.push(s);
    else byLeader.set(leader, [s]);
  }
  await Promise.all(
    [...byLeader].map(async ([leader, states]) => {
      // What each partition is validated against: its position, seek epoch and leader epoch now.
      const asked = states.map((s) => ({
        s,
        position: s.position!,
        seekEpoch: s.epoch,
        lastEpoch: s.leaderEpoch,
        currentLeaderEpoch: catalog.route(s.topic, s.partition)!.leaderEpoch,
      }));
      const version = await cluster.versionFor(leader, 'default', OffsetForLeaderEpoch).catch(() => -1);
      if (version < MIN_CONSUMER_VERSION) {
        // A broker that cannot validate for consumers: trust the position, as Java does.
        for (const a of asked) a.s.validatedEpoch = a.currentLeaderEpoch;
        return;
      }
      const topics = new Map<string, typeof asked>();
      for (const a of asked) {
        const t = topics.get(a.s.topic);
        if (t) t.push(a);
        else topics.set(a.s.topic, [a]);
      }
      const res = await cluster.send(
        leader,
        'default',
        OffsetForLeaderEpoch,
        {
          replicaId: -1,
          topics: [...topics].map(([topic, list]) => ({
            topic,
            partitions: list.map((a) => ({
              partition: a.s.partition,
              currentLeaderEpoch: a.currentLeaderEpoch,
              leaderEpoch: a.lastEpoch,
            })),
          })),
        },
        { version },
      );
      for (const t of res.topics) {
        for (const p of t.partitions) {
          const a = topics.get(t.topic)?.find((x) => x.s.partition === p.partition);
          if (!a) continue;
          const { s } = a;
          // Moved meanwhile (a seek, a reset, a fetch past it): this answer is about the past.
          if (s.epoch !== a.seekEpoch || s.position !== a.position) continue;
          if (p.errorCode !== 0) {
            if (LEADERSHIP_ERRORS.has(p.errorCode)) hooks.onStale(s);
            else
              logger.warn('Position validation failed', {
                topic: t.topic,
                partition: p.partition,
                error: p.errorCode,
              });
            continue;
          }
          complete(s, a.currentLeaderEpoch, p.leaderEpoch, Number(p.endOffset), hooks, logger);
        }
      }
    }),
  );
}

function complete(
  s: PartitionState,
  currentLeaderEpoch: number,
  endEpoch: number,
  endOffset: number,
  hooks: ValidationHooks,
  logger: Logger,
): void {
  const position = s.position!;
  if (endEpoch >= 0 && endOffset >= 0 && endOffset >= position) {
    s.validatedEpoch = currentLeaderEpoch;
    return;
  }
  const policy = hooks.resetPolicy(s.topic);
  const undefinedEnd = endEpoch < 0 || endOffset < 0;
  if (policy === 'none') {
    hooks.onFatal(
      protocolError(
        Codes.OFFSET_OUT_OF_RANGE,
        `Log truncation detected for ${s.topic}[${s.partition}]: position ${position} (leader epoch ${s.leaderEpoch}) ` +
          (undefinedEnd
            ? 'is in an epoch the leader no longer has'
            : `is past the end of that epoch in the leader's log (${endOffset})`),
      ),
    );
    return;
  }
  if (undefinedEnd) {
    logger.warn('Log truncation detected: the leader has no record of our epoch, resetting', {
      topic: s.topic,
      partition: s.partition,
      offset: position,
      policy,
    });
    s.requestReset(policy);
    return;
  }
  logger.warn('Log truncation detected, resuming at the first offset that may differ', {
    topic: s.topic,
    partition: s.partition,
    offset: position,
    resumeAt: endOffset,
    leaderEpoch: endEpoch,
  });
  s.seek(endOffset);
  s.leaderEpoch = endEpoch;
  s.validatedEpoch = currentLeaderEpoch;
}
