// One catalogue of errors with stable codes (the Fastify lib/errors.js idea).
// Every failure a user can meet is a CrosswatchError: a code to match on,
// a message that names what is wrong, and the wrapped cause kept.

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'SITES_INVALID'
  | 'SITES_UNREADABLE'
  | 'USAGE'
  | 'NOT_FOUND'
  | 'FOOTAGE_UNREADABLE'
  | 'FOOTAGE_MISSING'
  | 'DECODE_FAILED'
  | 'MODEL_INVALID'
  | 'CALIBRATION_MISSING'
  | 'DATABASE'
  | 'SAMPLING_IMPOSSIBLE'
  | 'SAMPLING_INVALID'
  | 'ASSESSMENT_INVALID'
  | 'ASSESSMENT_INSUFFICIENT'
  | 'EVIDENCE_WRITE_FAILED'
  | 'ABORTED';

export class CrosswatchError extends Error {
  readonly code: ErrorCode;
  /** Structured details (JSON paths, counts) for callers that render their own message. */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CrosswatchError';
    this.code = code;
    this.details = options.details;
  }
}

export function isCrosswatchError(err: unknown, code?: ErrorCode): err is CrosswatchError {
  return err instanceof CrosswatchError && (code === undefined || err.code === code);
}

/** A validation problem located by a JSON path such as `/intersections/0/cameras/1/code`. */
export interface PathIssue {
  path: string;
  message: string;
}

export function formatIssues(issues: readonly PathIssue[]): string {
  return issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n');
}
