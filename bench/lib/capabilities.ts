/** Which client runs which scenario; the reason is shown in the report where one does not. */
import type { ClientName, Scenario } from './types.js';

/** `v24.1.0` → [24, 1]. */
function major(version: string): [number, number] {
  const m = /v?(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

export function unsupportedReason(client: ClientName, s: Scenario, nodeVersion: string): string | undefined {
  switch (client) {
    case 'kafkajs':
      if (s.codec !== 'none')
        return `no built-in ${s.codec.toUpperCase()} codec (needs a third-party codec package)`;
      return undefined;
    case 'platformatic': {
      const [maj, min] = major(nodeVersion);
      if (maj < 22 || (maj === 22 && min < 22))
        return `@platformatic/kafka 2.x needs Node >= 22.22 (${nodeVersion})`;
      if (s.kind === 'consume-batch') return 'no per-batch handler (its stream is per message)';
      return undefined;
    }
    case 'rdkafka':
      if (s.kind === 'consume-batch')
        return 'no separate batch handler (consume-100b already reads consume(1000) batches)';
      return undefined;
    case 'java':
      if (s.kind === 'consume-batch') return 'poll() returns batches already (see consume-100b)';
      if (s.kind === 'consume-group') return 'the harness runs one consumer per JVM';
      return undefined;
    default:
      return undefined;
  }
}
