import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Admin } from '../../../src/admin/index.js';
import type { AdminConfig } from '../../../src/admin/types.js';
import { Kafka, type KafkaConfig } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { testCluster } from '../../helpers/cluster.js';

const run = promisify(execFile);

export function kafka(config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'kafkats-admin-test',
    brokers: testCluster().brokers,
    logLevel: logLevel.NOTHING,
    ...config,
  });
}

/** `kafka.admin()` with a short retry policy, so that a failing test fails quickly. */
export function newAdmin(k: Kafka = kafka(), options: AdminConfig = {}): Admin {
  return k.admin({ retry: { retries: 3, initialRetryTime: 100 }, ...options });
}

export interface KcatOptions {
  brokers?: string;
  extra?: string[];
}

/** Produces `values` (one per line) to a partition with kcat, the independent client. */
export async function kcatProduce(
  topic: string,
  partition: number,
  values: string[],
  o: KcatOptions = {},
): Promise<void> {
  const child = run(
    'kcat',
    [
      '-b',
      o.brokers ?? testCluster().bootstrap,
      '-t',
      topic,
      '-p',
      String(partition),
      '-P',
      ...(o.extra ?? []),
    ],
    {
      timeout: 30_000,
    },
  );
  child.child.stdin?.end(`${values.join('\n')}\n`);
  await child;
}

/** kcat's metadata listing (-L) as a login check; rejects with kcat's stderr. */
export async function kcatMetadata(o: KcatOptions = {}): Promise<string> {
  const { stdout } = await run(
    'kcat',
    ['-b', o.brokers ?? testCluster().bootstrap, '-L', ...(o.extra ?? [])],
    {
      timeout: 30_000,
    },
  );
  return stdout;
}
