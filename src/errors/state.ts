import { KafkaJSNonRetriableError } from './network.js';

/**
 * A state machine was asked for a transition its table does not allow (see src/transitions.ts).
 * It means a kafkats bug, not a broker or user condition, so it is not retriable: retrying would
 * repeat the same illegal step. `machine`, `from` and `to` say which table refused what.
 */
export class KafkaJSInvalidStateTransition extends KafkaJSNonRetriableError {
  /** The state machine that refused (`producer`, `transaction`, `connection`). */
  readonly machine: string;
  /** The state it was in. */
  readonly from: string;
  /** The state it was asked to enter. */
  readonly to: string;

  constructor(machine: string, from: string, to: string) {
    super(`Invalid ${machine} state transition: ${from} → ${to}`);
    this.name = 'KafkaJSInvalidStateTransition';
    this.machine = machine;
    this.from = from;
    this.to = to;
  }
}
