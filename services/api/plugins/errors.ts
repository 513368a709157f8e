// One error format for everything the API answers:
//   { error: { code, message, details? } }
// Validation failures name the field (`/query/from: must be a date-time ...`)
// and list every problem in details as { path, message }.
import type { FastifyError, FastifyInstance } from 'fastify';
import { isCrosswatchError, type PathIssue } from '../../../pipelines/errors.ts';
import { API_ERRORS, ApiError, codeForStatus, validationError, type ApiErrorCode } from '../errors.ts';
import { FORMAT_HINTS } from '../defs/common.ts';
import { isConnectionError } from '../../db/pool.ts';
import { shared } from '../types.ts';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const CONTEXT_NAMES: Record<string, string> = { querystring: 'query', params: 'params', body: 'body', headers: 'headers' };

export function validationIssues(context: string | undefined, issues: AjvIssue[]): PathIssue[] {
  const base = `/${CONTEXT_NAMES[context ?? ''] ?? context ?? 'request'}`;
  return issues.map((v) => {
    const path = base + v.instancePath;
    switch (v.keyword) {
      case 'required':
        return { path: `${path}/${String(v.params['missingProperty'])}`, message: 'is required' };
      case 'additionalProperties':
        return { path: `${path}/${String(v.params['additionalProperty'])}`, message: 'is not a field this route accepts' };
      case 'format': {
        const format = String(v.params['format']);
        return { path, message: `must be ${FORMAT_HINTS[format] ?? `a ${format}`}` };
      }
      case 'enum':
        return { path, message: `must be one of ${(v.params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')}` };
      default:
        return { path, message: v.message ?? v.keyword };
    }
  });
}

function toApiError(err: FastifyError | Error): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (Array.isArray(fe.validation)) {
    const details = validationIssues(fe.validationContext, fe.validation);
    return validationError(details);
  }
  if (isCrosswatchError(err)) {
    if (err.code === 'SITES_INVALID') return new ApiError('VALIDATION', err.message, { details: err.details });
    if (err.code === 'NOT_FOUND') return new ApiError('NOT_FOUND', err.message);
    // A request the services refuse as malformed, or that the data cannot satisfy (more windows than footage, too few processed windows).
    if (err.code === 'SAMPLING_INVALID' || err.code === 'ASSESSMENT_INVALID' || err.code === 'USAGE') return new ApiError('VALIDATION', err.message, { details: err.details });
    if (err.code === 'SAMPLING_IMPOSSIBLE' || err.code === 'ASSESSMENT_INSUFFICIENT') return new ApiError('CONFLICT', err.message, { details: err.details });
  }
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own (bad JSON, wrong content type, body too large) and plugins' (rate limit) errors.
    const code = typeof fe.code === 'string' && fe.code in API_ERRORS ? (fe.code as ApiErrorCode) : codeForStatus(status);
    // Fastify drops the parser's cause: say both things it can mean (test/fuzz found the poisoning case named "not valid JSON").
    if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return new ApiError(code, 'the body is not valid JSON, or it has "__proto__" or "constructor.prototype" keys, which are refused');
    }
    return new ApiError(code, err.message);
  }
  if (isDatabaseDown(err)) return new ApiError('UNAVAILABLE', 'the database is not reachable; try again shortly', { cause: err });
  return new ApiError('INTERNAL', 'internal error; it has been logged', { cause: err });
}

/** Connection-level failures (refused, reset, terminated, the database gone) rather than a query bug. */
const isDatabaseDown = isConnectionError;

async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const api = toApiError(err);
    if (api.statusCode >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: api.code, status: api.statusCode }, api.message);
    if (api.statusCode === 405) reply.header('allow', 'GET, POST, DELETE');
    return reply.code(api.statusCode).type('application/json; charset=utf-8').send(api.toBody());
  });
  // Ajv coerces "Infinity" and "-Infinity" in a query string to numbers that
  // pass `integer`, `minimum` and `maximum` alike (its number keywords are
  // skipped after that coercion; found by test/fuzz/api.test.ts, the database
  // then refused the value). Numbers in a query only come from that coercion.
  app.addHook('preHandler', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    if (!query || typeof query !== 'object') return;
    const bad = Object.entries(query).filter(([, v]) => typeof v === 'number' && !Number.isFinite(v));
    if (bad.length === 0) return;
    const details = bad.map(([k]) => ({ path: `/query/${k}`, message: 'must be a finite number' }));
    throw validationError(details);
  });
  app.setNotFoundHandler((request, reply) => {
    const api = new ApiError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.code(404).send(api.toBody());
  });
}

export default shared(errorsPlugin, 'crosswatch-errors');
