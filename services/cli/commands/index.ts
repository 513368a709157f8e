// Every CLI command, in the order `crosswatch --help` lists them.
import type { Command } from '../command.ts';
import { simClip, simArchive } from './sim.ts';
import { sitesImport, sitesList } from './sites.ts';
import { catalog } from './catalog.ts';
import { windowCommand } from './window.ts';
import { serveCommand } from './serve.ts';
import { keysCreate, keysList, keysRevoke } from './keys.ts';

export const commands: Command[] = [simClip, simArchive, sitesImport, sitesList, catalog, windowCommand, serveCommand, keysCreate, keysList, keysRevoke];
