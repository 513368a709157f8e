// One typed, validated configuration: defaults < optional JSON file < environment.
// An invalid value fails at start with the setting's name and what is allowed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CrosswatchError } from '../pipelines/errors.ts';

const Config = Type.Object(
  {
    /** Root for everything the project writes by default (database, evidence, renders). */
    dataDir: Type.String({ minLength: 1 }),
    /** A PostgreSQL server to use instead of the embedded one. */
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    /** Embedded PostgreSQL data folder; defaults to <dataDir>/postgres. */
    pgDataDir: Type.String({ minLength: 1 }),
    /** Embedded PostgreSQL port; 0 picks a free one. */
    pgPort: Type.Integer({ minimum: 0, maximum: 65535 }),
    ffmpegPath: Type.Optional(Type.String({ minLength: 1 })),
    ffprobePath: Type.Optional(Type.String({ minLength: 1 })),
    evidenceDir: Type.String({ minLength: 1 }),
    /** Detector model file (ONNX). */
    modelPath: Type.String({ minLength: 1 }),
    /** Frames per second the window pipeline samples. */
    sampleFps: Type.Number({ exclusiveMinimum: 0, maximum: 60 }),
    /** ffprobe processes running at once while cataloguing. */
    catalogConcurrency: Type.Integer({ minimum: 1, maximum: 64 }),
    /** Time zone for sites that do not name one, and for what people read. */
    defaultTimeZone: Type.String({ minLength: 1 }),
    logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof Config>;

/** Environment variable for each setting (the file uses the camelCase key). */
export const ENV_NAMES: Record<keyof Config, string> = {
  dataDir: 'CROSSWATCH_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  pgDataDir: 'CROSSWATCH_PG_DATA_DIR',
  pgPort: 'CROSSWATCH_PG_PORT',
  ffmpegPath: 'FFMPEG_PATH',
  ffprobePath: 'FFPROBE_PATH',
  evidenceDir: 'CROSSWATCH_EVIDENCE_DIR',
  modelPath: 'CROSSWATCH_MODEL',
  sampleFps: 'CROSSWATCH_SAMPLE_FPS',
  catalogConcurrency: 'CROSSWATCH_CATALOG_CONCURRENCY',
  defaultTimeZone: 'CROSSWATCH_TIME_ZONE',
  logLevel: 'LOG_LEVEL',
};

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

type Env = Record<string, string | undefined>;

/**
 * Builds the configuration. `env` defaults to process.env; CROSSWATCH_CONFIG
 * names an optional JSON file whose keys are the camelCase setting names.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const fromFile = readConfigFile(env['CROSSWATCH_CONFIG']);
  const fromEnv: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') fromEnv[key] = raw;
  }
  const merged: Record<string, unknown> = { ...fromFile, ...fromEnv, ...overrides };
  const dataDir = path.resolve(String(merged['dataDir'] ?? path.join(PROJECT_ROOT, 'var')));
  const candidate: Record<string, unknown> = {
    pgPort: 0,
    sampleFps: 8,
    catalogConcurrency: 4,
    defaultTimeZone: 'Asia/Shanghai',
    logLevel: 'info',
    pgDataDir: path.join(dataDir, 'postgres'),
    evidenceDir: path.join(dataDir, 'evidence'),
    modelPath: path.join(PROJECT_ROOT, 'models', 'crosswatch-det.onnx'),
    ...merged,
    dataDir,
  };
  const converted = Value.Convert(Config, candidate) as Record<string, unknown>;
  const problems = [...Value.Errors(Config, converted)].map((e) => {
    const key = e.path.replace(/^\//, '').split('/')[0] ?? '';
    const name = key in ENV_NAMES ? `${ENV_NAMES[key as keyof Config]} (${key})` : `unknown setting "${key}"`;
    return `  ${name}: ${describeAllowed(e.schema, e.message)}, got ${JSON.stringify(e.value)}`;
  });
  if (problems.length > 0) {
    throw new CrosswatchError('CONFIG_INVALID', `Invalid configuration:\n${[...new Set(problems)].join('\n')}`);
  }
  if (!isValidTimeZone(converted['defaultTimeZone'] as string)) {
    throw new CrosswatchError(
      'CONFIG_INVALID',
      `Invalid configuration:\n  ${ENV_NAMES.defaultTimeZone} (defaultTimeZone): not an IANA time zone such as Asia/Shanghai, got ${JSON.stringify(converted['defaultTimeZone'])}`,
    );
  }
  for (const key of ['pgDataDir', 'evidenceDir', 'modelPath', 'ffmpegPath', 'ffprobePath'] as const) {
    if (typeof converted[key] === 'string') converted[key] = path.resolve(converted[key] as string);
  }
  return converted as Config;
}

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new CrosswatchError('CONFIG_INVALID', `CROSSWATCH_CONFIG: cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Record<string, unknown>;
  } catch (cause) {
    throw new CrosswatchError('CONFIG_INVALID', `CROSSWATCH_CONFIG: ${file} is not a JSON object of settings: ${(cause as Error).message}`, { cause });
  }
}

function describeAllowed(schema: TSchema, fallback: string): string {
  if (Array.isArray(schema['anyOf'])) return `one of ${schema['anyOf'].map((s: TSchema) => JSON.stringify(s['const'])).join(', ')}`;
  const parts: string[] = [];
  if (schema['type'] === 'integer') parts.push('an integer');
  else if (schema['type'] === 'number') parts.push('a number');
  if (schema['minimum'] !== undefined) parts.push(`>= ${schema['minimum']}`);
  if (schema['exclusiveMinimum'] !== undefined) parts.push(`> ${schema['exclusiveMinimum']}`);
  if (schema['maximum'] !== undefined) parts.push(`<= ${schema['maximum']}`);
  if (schema['pattern'] !== undefined && schema['pattern'].startsWith('^postgres')) parts.push('a postgres:// or postgresql:// URL');
  return parts.length > 0 ? parts.join(' ') : fallback.toLowerCase();
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
