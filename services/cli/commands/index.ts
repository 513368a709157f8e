// Every CLI command, in the order `crosswatch --help` lists them.
import type { Command } from '../command.ts';
import { simClip, simArchive } from './sim.ts';

export const commands: Command[] = [simClip, simArchive];
