import type { ConsumerCore } from './core.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, lookupOffsets } from './offset-lookup.js';
import { sleep } from './signal.js';
import type { TopicPartition } from './subscription-state.js';

/**
 * Resolves the `earliest` / `latest` resets of newly assigned partitions now, while the group
 * join is still under way, instead of leaving them to the fetcher's next pass. With
 * `fromBeginning: false` the starting point is then the log end at the moment of the join: a
 * record produced after `run()` resolved (or after GROUP_JOIN was emitted) is always consumed.
 * KafkaJS programs rely on it (NestJS produces to its reply partition right after run()).
 * What cannot be resolved here (no leader yet) stays pending for the fetcher, as before.
 */
export async function resolveResetsAtJoin(core: ConsumerCore, partitions: TopicPartition[]): Promise<void> {
  const readCommitted = !core.options.readUncommitted;
  for (let attempt = 0; attempt < 3; attempt++) {
    const pending = partitions
      .map((p) => core.state.get(p.topic, p.partition))
      .filter(
        (s): s is NonNullable<typeof s> =>
          s !== undefined &&
          s.position === null &&
          (s.pendingReset === 'earliest' || s.pendingReset === 'latest'),
      );
    if (pending.length === 0) return;
    const asked = pending.map((s) => ({
      state: s,
      epoch: s.epoch,
      lookup: {
        topic: s.topic,
        partition: s.partition,
        timestamp: s.pendingReset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP,
      },
    }));
    try {
      const { found, retry } = await lookupOffsets(
        core.cluster,
        core.catalog,
        asked.map((a) => a.lookup),
        readCommitted,
      );
      for (const f of found) {
        const a = asked.find((x) => x.lookup.topic === f.topic && x.lookup.partition === f.partition);
        // A seek or a new reset since the lookup wins over its answer.
        if (a && a.state.epoch === a.epoch && a.state.position === null) a.state.seek(f.offset);
      }
      if (retry.length === 0) return;
      await core.refreshMetadata().catch(() => {});
    } catch (e) {
      core.logger.debug('Offset reset at join failed; the fetcher retries it', {
        error: (e as Error).message,
        attempt,
      });
    }
    await sleep(100 * 2 ** attempt);
  }
}
