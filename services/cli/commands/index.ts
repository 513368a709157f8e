// Every CLI command, in the order `crosswatch --help` lists them.
import type { Command } from '../command.ts';
import { simClip, simArchive } from './sim.ts';
import { sitesImport, sitesList } from './sites.ts';
import { catalog } from './catalog.ts';
import { windowCommand } from './window.ts';
import { serveCommand } from './serve.ts';
import { keysCreate, keysList, keysRevoke } from './keys.ts';
import { planCommand, planShow } from './plan.ts';
import { runCommand, runStatusCommand } from './run.ts';
import { workerCommand } from './worker.ts';
import { scheduleCommand } from './schedule.ts';
import { rollupCommand } from './rollup.ts';
import { rankingCommand } from './ranking.ts';
import { simulateCommand } from './simulate.ts';
import { backupCommand, pruneCommand, restoreCommand } from './lifecycle.ts';

export const commands: Command[] = [simClip, simArchive, sitesImport, sitesList, catalog, windowCommand, serveCommand, keysCreate, keysList, keysRevoke, planCommand, planShow, runCommand, runStatusCommand, workerCommand, scheduleCommand, rollupCommand, rankingCommand, simulateCommand, pruneCommand, backupCommand, restoreCommand];
