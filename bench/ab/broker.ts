/**
 * Keeps one Kafka broker up for several A/B invocations: prints its bootstrap address, then runs
 * until SIGTERM or SIGINT, and stops the broker (the harness deletes its data).
 *
 *   npx tsx bench/ab/broker.ts > /tmp/ab-broker.out &   # then: --bootstrap $(head -1 /tmp/ab-broker.out)
 */
import { startKafka } from '../../src/testing/index.js';

const cluster = await startKafka({ heapMb: 1024 });
console.log(cluster.bootstrap);
const stop = async () => {
  await cluster.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);
