// The one pino logger. Structured JSON to stderr so stdout stays free for
// command output (`--json`), and secrets are redacted wherever they appear.
import { pino, type Logger } from 'pino';

export type { Logger };

const level = process.env['LOG_LEVEL'] ?? 'info';

export const log: Logger = pino(
  {
    level,
    base: { app: 'crosswatch' },
    redact: {
      paths: ['password', '*.password', 'apiKey', '*.apiKey', 'req.headers.authorization', 'req.headers["x-api-key"]', 'databaseUrl', '*.databaseUrl'],
      censor: '[redacted]',
    },
  },
  pino.destination({ fd: 2, sync: true }),
);
