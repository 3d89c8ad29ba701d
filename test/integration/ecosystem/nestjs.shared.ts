/**
 * NestJS 11 microservices over Transport.KAFKA with kafkats installed as `kafkajs`: the scenario
 * of apps/nestjs-app.cjs, run once against the broker of this run. nestjs.test.ts runs it on the
 * default broker (Kafka 4.4, its default group protocol), nestjs.compat.test.ts on Kafka 3.9;
 * `npm run test:nestjs-loop` runs it many times (scripts/nestjs-loop.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testCluster } from '../../helpers/cluster.js';
import { nestProblems, runNestApp } from './nestjs-scenario.js';
import { describeOutcome } from './run-app.js';
import { scratchProject } from './scratch-project.js';

export function nestSuite(label: string): void {
  describe(`NestJS 11 Transport.KAFKA over kafkats installed as kafkajs (${label})`, () => {
    test('request/reply through ClientKafka, events with latest-offset and fromBeginning subscriptions', async () => {
      const project = scratchProject();
      const outcome = await runNestApp(project.dir, testCluster().brokers);
      const problems = nestProblems(outcome);
      assert.deepEqual(problems, [], `${problems.join('\n')}\n${describeOutcome(outcome)}`);
      console.log(
        `NestJS (${label}): first reply ${outcome.result?.firstReplyMs} ms after the client connected`,
      );
    });
  });
}
