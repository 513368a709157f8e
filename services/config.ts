// One typed, validated configuration: defaults < optional JSON file < environment.
// An invalid value fails at start with the setting's name and what is allowed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CrosswatchError } from '../pipelines/errors.ts';
import { isTimeZone } from '../pipelines/time/zone.ts';

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
    /** ONNX Runtime execution provider; 'cuda' needs onnxruntime-node's CUDA binaries installed (README, "Performance and sizing"). */
    executionProvider: Type.Union([Type.Literal('cpu'), Type.Literal('cuda')]),
    /** ONNX Runtime intra-op threads of a process's detector; default: the cores left after one per window in progress, 1 to 4. */
    detectorThreads: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    /** Frames per second the window pipeline samples. */
    sampleFps: Type.Number({ exclusiveMinimum: 0, maximum: 60 }),
    /** ffprobe processes running at once while cataloguing. */
    catalogConcurrency: Type.Integer({ minimum: 1, maximum: 64 }),
    /** Time zone for sites that do not name one, and for what people read. */
    defaultTimeZone: Type.String({ minLength: 1 }),
    logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
    /** API (crosswatch serve): port and address it listens on. */
    apiPort: Type.Integer({ minimum: 0, maximum: 65535 }),
    apiHost: Type.String({ minLength: 1 }),
    /** API requests per minute per key (or per address without one); raising it lets one client starve the others. */
    apiRateLimit: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    /** Exposures an intersection needs in a month before it gets a rating band and can be flagged. */
    ratingMinExposures: Type.Integer({ minimum: 1 }),
    /** Intersections (and units) flagged at each end of a monthly ranking: red flag best k, black flag worst k. */
    flagCount: Type.Integer({ minimum: 0, maximum: 1000 }),
    /** Nightly batch: cron expression (read in nightlyTimeZone) that plans and queues yesterday's windows; 'off' removes the schedule. */
    nightlyCron: Type.String({ minLength: 1 }),
    /** Zone the nightly cron is read in; defaults to defaultTimeZone (the sites' zone on a one-city install). */
    nightlyTimeZone: Type.Optional(Type.String({ minLength: 1 })),
    /** Windows drawn per camera from the previous local day; more narrows the daily rates at more processing each night. */
    nightlyWindowsPerCamera: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** Site-local hours the nightly draw comes from, comma-separated 'HH:MM-HH:MM' ranges. */
    nightlyHours: Type.String({ minLength: 1 }),
    /** Window length in minutes: the nightly draw's, and the default of plan and simulate. */
    windowMinutes: Type.Number({ exclusiveMinimum: 0, maximum: 1440 }),
    /** Windows one worker process judges at once, sharing its detector; above the free cores they only wait on each other. */
    workerConcurrency: Type.Integer({ minimum: 1, maximum: 64 }),
    /** How often an idle worker asks for jobs, seconds; lower reacts sooner at more queries. */
    workerPollSeconds: Type.Number({ minimum: 0.5, maximum: 600 }),
    /** Retries of a window after an unexpected error (known failures such as missing footage are final at once). */
    jobRetryLimit: Type.Integer({ minimum: 0, maximum: 100 }),
    /** Seconds before the first retry, doubled (with jitter) for each later one. */
    jobRetryDelaySeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
    /** A window job active this long is presumed lost (worker killed) and retried; keep it above the slowest window's processing time. */
    jobExpireSeconds: Type.Integer({ minimum: 10, maximum: 86_400 }),
    /** Days evidence images of unconfirmed violations are kept (from the violation's time); `crosswatch prune` removes older ones. */
    evidenceRetentionDays: Type.Integer({ minimum: 1, maximum: 36_500 }),
    /** Days evidence of confirmed violations is kept: longer, since a penalty may be appealed; never below evidenceRetentionDays. */
    evidenceRetentionConfirmedDays: Type.Integer({ minimum: 1, maximum: 36_500 }),
    /** Scoring rule (JSON, pipelines/assessment) for crosswatch simulate; default the illustrative rule. */
    scoringRuleFile: Type.Optional(Type.String({ minLength: 1 })),
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
  executionProvider: 'CROSSWATCH_EXECUTION_PROVIDER',
  detectorThreads: 'CROSSWATCH_DETECTOR_THREADS',
  sampleFps: 'CROSSWATCH_SAMPLE_FPS',
  catalogConcurrency: 'CROSSWATCH_CATALOG_CONCURRENCY',
  defaultTimeZone: 'CROSSWATCH_TIME_ZONE',
  logLevel: 'LOG_LEVEL',
  apiPort: 'CROSSWATCH_API_PORT',
  apiHost: 'CROSSWATCH_API_HOST',
  apiRateLimit: 'CROSSWATCH_API_RATE_LIMIT',
  ratingMinExposures: 'CROSSWATCH_RATING_MIN_EXPOSURES',
  flagCount: 'CROSSWATCH_FLAG_COUNT',
  nightlyCron: 'CROSSWATCH_NIGHTLY_CRON',
  nightlyTimeZone: 'CROSSWATCH_NIGHTLY_TIME_ZONE',
  nightlyWindowsPerCamera: 'CROSSWATCH_NIGHTLY_WINDOWS',
  nightlyHours: 'CROSSWATCH_NIGHTLY_HOURS',
  windowMinutes: 'CROSSWATCH_WINDOW_MINUTES',
  workerConcurrency: 'CROSSWATCH_WORKER_CONCURRENCY',
  workerPollSeconds: 'CROSSWATCH_WORKER_POLL_SECONDS',
  jobRetryLimit: 'CROSSWATCH_JOB_RETRY_LIMIT',
  jobRetryDelaySeconds: 'CROSSWATCH_JOB_RETRY_DELAY',
  jobExpireSeconds: 'CROSSWATCH_JOB_EXPIRE_SECONDS',
  scoringRuleFile: 'CROSSWATCH_SCORING_RULE',
  evidenceRetentionDays: 'CROSSWATCH_EVIDENCE_RETENTION_DAYS',
  evidenceRetentionConfirmedDays: 'CROSSWATCH_EVIDENCE_RETENTION_CONFIRMED_DAYS',
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
    apiPort: 8080,
    apiHost: '127.0.0.1',
    apiRateLimit: 600,
    ratingMinExposures: 30,
    flagCount: 3,
    nightlyCron: '0 2 * * *',
    nightlyWindowsPerCamera: 4,
    nightlyHours: '07:00-20:00',
    windowMinutes: 10,
    workerConcurrency: 2,
    workerPollSeconds: 2,
    jobRetryLimit: 3,
    jobRetryDelaySeconds: 30,
    jobExpireSeconds: 1800,
    evidenceRetentionDays: 180,
    evidenceRetentionConfirmedDays: 730,
    pgDataDir: path.join(dataDir, 'postgres'),
    evidenceDir: path.join(dataDir, 'evidence'),
    modelPath: path.join(PROJECT_ROOT, 'models', 'crosswatch-det.onnx'),
    executionProvider: 'cpu',
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
  if (!isTimeZone(converted['defaultTimeZone'] as string)) {
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
