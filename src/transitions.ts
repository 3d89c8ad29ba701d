import { KafkaJSInvalidStateTransition } from './errors/state.js';

/**
 * For each state, the states it may move to. Written as a table so that the allowed moves of the
 * producer, its transactions and a connection can be read in one place and checked by unit
 * tests, instead of being implied by assignments scattered over their methods.
 */
export type TransitionTable<S extends string> = { readonly [From in S]: readonly S[] };

/**
 * A current state guarded by a {@link TransitionTable}: `to()` throws
 * {@link KafkaJSInvalidStateTransition} for a move the table does not list. Staying in the same
 * state is always allowed, because several callers may reach the same state concurrently (two
 * `connect()` calls, a failure reported twice) and that is not an error.
 */
export class StateMachine<S extends string> {
  private current: S;

  constructor(
    readonly name: string,
    private readonly table: TransitionTable<S>,
    initial: S,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  /** Whether the table allows moving from the current state to `next`. */
  can(next: S): boolean {
    return next === this.current || this.table[this.current].includes(next);
  }

  /** Moves to `next`, or throws {@link KafkaJSInvalidStateTransition} if the table forbids it. */
  to(next: S): void {
    if (!this.can(next)) throw new KafkaJSInvalidStateTransition(this.name, this.current, next);
    this.current = next;
  }
}
