// test/kafka.global-setup.ts: one broker for every test file (quoted in docs/testing.md).
import type { TestProject } from 'vitest/node';
import { useKafka } from '../../../../src/testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

export default async function setup(project: TestProject) {
  const cluster = await useKafka();
  project.provide('kafkaBrokers', cluster.brokers);
  return () => cluster.stop();
}
