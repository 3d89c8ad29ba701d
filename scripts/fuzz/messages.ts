/** What the fuzz runner and its worker process exchange (the worker module runs on import, so these live apart). */
import type { CaseResult } from './cases.js';

export interface WorkerInput {
  seed: number;
  from: number;
  to: number;
  /** Cases not to run again: they hung or killed an earlier worker. */
  skip: number[];
  /** Answers recorded from a live broker (`--capture`), as JSON; absent without a capture. */
  capturedPath: string | undefined;
  /** The progress file: int32 case index, int32 running flag, float64 case start (epoch ms). */
  progressPath: string;
}

export type Counts = Record<string, number>;

export type WorkerMessage =
  | { type: 'ready'; corpus: Record<string, number>; buildMs: number }
  | { type: 'progress'; next: number; counts: Counts; slowestMs: number }
  | { type: 'finding'; result: CaseResult };

export const PROGRESS_BYTES = 16;
