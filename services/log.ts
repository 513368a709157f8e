// The one pino logger. Structured JSON to stderr so stdout stays free for
// command output (`--json`), and secrets are redacted wherever they appear.
import { pino, type Logger } from 'pino';

export type { Logger };

const level = process.env['LOG_LEVEL'] ?? 'info';

/** What never reaches a log line (exported so the access tests check this very list). */
export const LOG_REDACT = {
  paths: ['password', '*.password', 'apiKey', '*.apiKey', 'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'databaseUrl', '*.databaseUrl'],
  censor: '[redacted]',
};

export const log: Logger = pino(
  {
    level,
    base: { app: 'crosswatch' },
    redact: LOG_REDACT,
  },
  pino.destination({ fd: 2, sync: true }),
);
