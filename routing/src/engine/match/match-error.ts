export type MatchErrorCode =
  /** An observation is unusable: a coordinate out of range, timestamps out of order, a bad radius. */
  | 'InvalidValue'
  /** A `MatchOptions` field is out of range. */
  | 'InvalidOptions'
  /** The `MatchNetwork` answered out of contract (a distance matrix of the wrong size): a bug, not bad input. */
  | 'InvalidNetwork';

/** Every failure of `matchTrace`; codes follow OSRM's `{code, message}` vocabulary where one exists. */
export class MatchError extends Error {
  readonly code: MatchErrorCode;

  constructor(code: MatchErrorCode, message: string) {
    super(message);
    this.name = 'MatchError';
    this.code = code;
  }
}
