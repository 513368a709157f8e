// The API's one catalogue of errors (the Fastify lib/errors.js idea): a stable
// code, the HTTP status it maps to, and a message that names what is wrong.
// Every response that is not a success has the shape
//   { error: { code, message, details? } }

export const API_ERRORS = {
  VALIDATION: 400,
  INVALID_CURSOR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EVIDENCE_UNAVAILABLE: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = API_ERRORS[code];
    this.details = options.details;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} not found`);

/** A 400 naming every field at fault: `/body/x: is required; /query/y: ...`, each also in details. */
export const validationError = (details: { path: string; message: string }[]) =>
  new ApiError('VALIDATION', details.map((d) => `${d.path}: ${d.message}`).join('; '), { details });

/** The code a status maps to when the error came from Fastify or a plugin rather than from us. */
export function codeForStatus(status: number): ApiErrorCode {
  const found = (Object.entries(API_ERRORS) as [ApiErrorCode, number][]).find(([code, s]) => s === status && code !== 'INVALID_CURSOR' && code !== 'VALIDATION' && code !== 'EVIDENCE_UNAVAILABLE');
  if (found) return found[0];
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}
