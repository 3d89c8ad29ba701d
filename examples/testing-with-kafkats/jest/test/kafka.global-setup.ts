// test/kafka.global-setup.ts: one broker for the whole run (quoted in docs/testing.md).
import { startKafka } from '../../../../src/testing/index.js';

export default async function globalSetup() {
  if (process.env.KAFKA_BOOTSTRAP_SERVERS) return; // CI already provides one
  const cluster = await startKafka();
  process.env.KAFKA_BOOTSTRAP_SERVERS = cluster.bootstrap;
  (globalThis as { __kafka?: { stop(): Promise<void> } }).__kafka = cluster;
}
