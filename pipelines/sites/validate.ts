// Validates a parsed sites file: first its shape (the TypeBox schema in
// schema.ts), then what a schema cannot say (checks.ts: geometry against the
// image, duplicate codes, time zones). Every issue names its JSON path, such
// as /intersections/0/cameras/0/calibration/approaches/1/stop_line, in words
// a traffic-police IT person can act on. Geometry is only checked once the
// shape is right, so a second pass may report more.
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { PathIssue } from '../errors.ts';
import { siteIssues } from './checks.ts';
import { SITES_FORMAT, SitesSchema, type SitesFile } from './schema.ts';

export type ValidateResult = { ok: true; sites: SitesFile } | { ok: false; issues: PathIssue[] };

export function validateSites(json: unknown): ValidateResult {
  const shape = schemaIssues(json);
  if (shape.length > 0) return { ok: false, issues: shape };
  const sites = json as SitesFile;
  const issues = siteIssues(sites);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, sites };
}

function schemaIssues(json: unknown): PathIssue[] {
  const seen = new Set<string>();
  const out: PathIssue[] = [];
  for (const e of Value.Errors(SitesSchema, json)) {
    // A missing field also fails its type check: "is missing" says it all.
    if (e.value === undefined && e.type !== ValueErrorType.ObjectRequiredProperty) continue;
    const issue = { path: e.path, message: describe(e) };
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

const lastSegment = (path: string) => path.split('/').pop() ?? '';

function describe(e: ValueError): string {
  const s = e.schema as Record<string, unknown>;
  const n = Array.isArray(e.value) ? e.value.length : 0;
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `"${lastSegment(e.path)}" is missing`;
    case ValueErrorType.ObjectAdditionalProperties:
      return `unknown field "${lastSegment(e.path)}" (check its spelling; see the sites format in README.md)`;
    case ValueErrorType.ArrayMinItems:
    case ValueErrorType.ArrayMaxItems:
      return countMessage(s, n);
    case ValueErrorType.ArrayUniqueItems:
      return 'lists the same value twice';
    case ValueErrorType.Union:
      return unionMessage(s, e.value, e.path);
    case ValueErrorType.Literal:
      return lastSegment(e.path) === 'format' ? `must be "${SITES_FORMAT}"` : `must be ${JSON.stringify(s['const'])}`;
    case ValueErrorType.StringPattern:
      return `${JSON.stringify(e.value)} is not a valid code: use letters, digits, "_", "." or "-" (at most 64, starting with a letter or digit)`;
    case ValueErrorType.Tuple:
    case ValueErrorType.TupleLength:
      return lastSegment(e.path) === 'metres' ? 'a ground position is [x, y]: two numbers, in metres' : 'a point is [x, y]: two numbers, in image pixels';
    case ValueErrorType.StringMinLength:
      return 'must not be empty';
    case ValueErrorType.StringMaxLength:
      return `is too long (at most ${String(s['maxLength'])} characters)`;
    default:
      return typeMessage(e, s);
  }
}

function countMessage(s: Record<string, unknown>, n: number): string {
  const min = s['minItems'] as number | undefined;
  const max = s['maxItems'] as number | undefined;
  if (min === 2 && max === 2) return `a line needs exactly two points [[x1, y1], [x2, y2]], got ${n}`;
  if (min === 3 && s['description'] === 'at least three points, not closed') {
    return n < 3 ? `a polygon needs at least three points, got ${n}` : `a polygon may have at most ${String(max)} points, got ${n}`;
  }
  if (s['description'] === 'ground points' && n < (min ?? 0)) return `needs at least ${String(min)} points measured on the road to fix the ground plane, got ${n}`;
  if (min !== undefined && n < min) return `needs at least ${min} ${min === 1 ? 'entry' : 'entries'}, got ${n}`;
  return `may have at most ${String(max)} entries, got ${n}`;
}

function unionMessage(s: Record<string, unknown>, value: unknown, path: string): string {
  const options = ((s['anyOf'] as Record<string, unknown>[] | undefined) ?? []).map((o) => o['const']).filter((c) => c !== undefined);
  if (options.length === 0) return 'has the wrong type';
  const what = /\/movements\/\d+$/.test(path) ? 'unknown movement' : 'unknown value';
  return `${what} ${JSON.stringify(value)}: use one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
}

function typeMessage(e: ValueError, s: Record<string, unknown>): string {
  switch (e.type) {
    case ValueErrorType.Object:
      return 'must be an object { ... }';
    case ValueErrorType.Array:
      return 'must be a list [ ... ]';
    case ValueErrorType.String:
      return 'must be text';
    case ValueErrorType.Number:
      return 'must be a number';
    case ValueErrorType.Integer:
      return 'must be a whole number';
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `must be at least ${String(s['minimum'])}, got ${String(e.value)}`;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `must be at most ${String(s['maximum'])}, got ${String(e.value)}`;
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `must be more than ${String(s['exclusiveMinimum'])}, got ${String(e.value)}`;
    default:
      return e.message;
  }
}
