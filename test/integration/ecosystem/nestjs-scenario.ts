/**
 * The NestJS scenario (apps/nestjs-app.cjs) as a function, and what a user would check of its
 * result; used by nestjs.shared.ts (one run per test file) and scripts/nestjs-loop.ts (many).
 */
import { randomBytes } from 'node:crypto';
import { type AppOutcome, runApp } from './run-app.js';

export interface NestResult {
  replies?: number[];
  events?: number[];
  early?: number[];
  firstReplyMs?: number;
  startToFirstReplyMs?: number;
  waitError?: string;
  error?: string;
}

export const NEST_EVENTS = 10;
export const NEST_REQUESTS = 5;

/** One run of the NestJS app in the scratch project `dir`; never throws for the app's failures. */
export function runNestApp(dir: string, brokers: readonly string[]): Promise<AppOutcome<NestResult>> {
  return runApp<NestResult>(
    dir,
    'nestjs-app.cjs',
    {
      BROKERS: brokers.join(','),
      PREFIX: `nest-${randomBytes(4).toString('hex')}`,
      EVENTS: String(NEST_EVENTS),
      REQUESTS: String(NEST_REQUESTS),
      // The app's tracing and the clients' DEBUG logs (scripts/nestjs-loop.ts prints them for a failed run).
      ...(process.env.DEBUG ? { DEBUG: process.env.DEBUG } : {}),
    },
    150_000,
  );
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
export const EXPECTED_REPLIES = [6, ...range(NEST_REQUESTS - 1).map((i) => i + 10)];

/** What a user checks: every reply right, every event once, the early ones too. Empty when all is well. */
export function nestProblems(outcome: AppOutcome<NestResult>): string[] {
  const r = outcome.result;
  if (outcome.code !== 0 || !r) {
    // The first line says what and where; the whole stack is in the app's output.
    const error = r?.error?.split('\n')[0] ?? `exit ${outcome.signal ?? outcome.code}`;
    return [`the app failed: ${error}`];
  }
  const problems: string[] = [];
  if (JSON.stringify(r.replies) !== JSON.stringify(EXPECTED_REPLIES))
    problems.push(`replies ${JSON.stringify(r.replies)}, expected ${JSON.stringify(EXPECTED_REPLIES)}`);
  if (JSON.stringify(r.events) !== JSON.stringify(range(NEST_EVENTS)))
    problems.push(`latest-offset events ${JSON.stringify(r.events)}, expected 0..${NEST_EVENTS - 1}`);
  if (JSON.stringify(r.early) !== JSON.stringify(range(NEST_EVENTS)))
    problems.push(`fromBeginning events ${JSON.stringify(r.early)}, expected 0..${NEST_EVENTS - 1}`);
  if (r.waitError) problems.push(r.waitError);
  return problems;
}
