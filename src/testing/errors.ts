import { KafkaJSError } from '../errors/base.js';

/**
 * What went wrong in the harness, so that a caller (or a test) can branch on it without
 * parsing the message.
 */
export type KafkaHarnessErrorCode =
  | 'UNKNOWN_VERSION'
  | 'MISSING_TOOL'
  | 'MAVEN_FAILED'
  | 'TOOL_FAILED'
  | 'BROKER_EXITED'
  | 'START_TIMEOUT'
  | 'UNKNOWN_NODE'
  | 'EXTERNAL_CLUSTER'
  | 'BAD_OPTION'
  | 'UNSUPPORTED_OPTION'
  | 'DOCKER_FAILED';

/**
 * The one error class of `kafkats/testing`. Its message always says what to do next: which
 * package to install, how to choose a version, or the tail of the log that explains why a
 * broker did not come up.
 */
export class KafkaHarnessError extends KafkaJSError {
  /** What went wrong, as a stable name to branch on (e.g. `MISSING_TOOL`, `START_TIMEOUT`). */
  readonly code: KafkaHarnessErrorCode;

  constructor(code: KafkaHarnessErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { retriable: false, cause: options.cause });
    this.code = code;
  }
}

/** Keeps the last `count` lines of a text, for error messages that quote a log. */
export function lastLines(text: string, count: number): string {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-count).join('\n');
}
