import { AppError, type ErrorCode } from '../../../platform/index.ts';

// DeadlineError and the input checks that raise it, shared by the calendar, the policy and the clocks.

/**
 * Why the deadline engine refused its input. The engine throws only for input
 * that cannot be right (a malformed date, a negative limit, resuming a clock
 * that is not paused); every valid input has an answer.
 */
export type DeadlineErrorReason =
  | 'invalid_calendar'
  | 'invalid_time_zone'
  | 'invalid_date'
  | 'invalid_instant'
  | 'invalid_amount'
  | 'unit_mismatch'
  | 'out_of_order'
  | 'out_of_range'
  | 'already_paused'
  | 'not_paused';

// A bad calendar file or zone is found at boot (config); a state clash is a
// conflict with what the case already did; everything else is bad input.
const CODE_OF: Record<DeadlineErrorReason, ErrorCode> = {
  invalid_calendar: 'config_invalid',
  invalid_time_zone: 'config_invalid',
  invalid_date: 'validation_failed',
  invalid_instant: 'validation_failed',
  invalid_amount: 'validation_failed',
  unit_mismatch: 'validation_failed',
  out_of_order: 'validation_failed',
  out_of_range: 'validation_failed',
  already_paused: 'conflict',
  not_paused: 'conflict',
};

/**
 * A coded `AppError` whose `reason` says exactly what was wrong, so services
 * can let it through (HTTP and CLI already map the code) and tests can match it.
 */
export class DeadlineError extends AppError {
  readonly reason: DeadlineErrorReason;

  constructor(reason: DeadlineErrorReason, message: string, details: Record<string, unknown> = {}) {
    super(CODE_OF[reason], message, { reason, ...details });
    this.name = 'DeadlineError';
    this.reason = reason;
  }
}

/** The largest limit or extension in working days; anything near it is a typo. */
export const MAX_WORKING_DAYS = 10_000;
/** The largest limit or extension in hours: ten years. */
export const MAX_HOURS = 24 * 3660;
/** Instants the engine accepts: 1970 to the end of 9999. */
export const MIN_INSTANT = Date.UTC(1970, 0, 1);
export const MAX_INSTANT = Date.UTC(9999, 11, 31);

/** The ms of a valid instant in the supported range, or an `invalid_instant` error naming the argument. */
export function instantMs(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms) || ms < MIN_INSTANT || ms > MAX_INSTANT) {
    throw new DeadlineError('invalid_instant', `${name} must be a valid Date between 1970 and 9999`, { field: name });
  }
  return ms;
}

/** A computed instant, or `out_of_range` when arithmetic ran past the supported years. */
export function checkRange(ms: number): number {
  if (ms < MIN_INSTANT || ms > MAX_INSTANT)
    throw new DeadlineError('out_of_range', 'the result falls beyond year 9999');
  return ms;
}

/** Rejects amounts that are not finite, below `min`, above `max`, or fractional where whole days are meant. */
export function checkAmount(value: number, name: string, rule: { integer: boolean; max: number; min?: number }): void {
  const min = rule.min ?? 0;
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= rule.max &&
    (!rule.integer || Number.isInteger(value));
  if (!valid) {
    const kind = rule.integer ? 'a whole number' : 'a number';
    throw new DeadlineError('invalid_amount', `${name} must be ${kind} from ${min} to ${rule.max}`, {
      field: name,
      value,
    });
  }
}
