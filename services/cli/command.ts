// What a CLI subcommand is. Each lives in its own file under commands/ and is
// listed in commands/index.ts; main.ts only dispatches.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { CrosswatchError } from '../../pipelines/errors.ts';

export interface CommandContext {
  config: Config;
  log: Logger;
  /** Where command output goes (tests capture it). */
  out: (text: string) => void;
}

export interface Command {
  /** One or more words: `catalog`, `sites import`, `sim clip`. */
  name: string;
  summary: string;
  /** Usage text shown by `--help`, after the name. */
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Returns the process exit code. */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, ...(command.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (cause) {
    throw new CrosswatchError('USAGE', `${(cause as Error).message}\nusage: crosswatch ${command.name} ${command.usage}`, { cause });
  }
}

/** Typed option readers that fail with the option's name and what it expects. */
export function stringOpt(args: ParsedArgs, name: string, required: true): string;
export function stringOpt(args: ParsedArgs, name: string, required?: false): string | undefined;
export function stringOpt(args: ParsedArgs, name: string, required = false): string | undefined {
  const v = args.values[name];
  if (v === undefined) {
    if (required) throw new CrosswatchError('USAGE', `--${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new CrosswatchError('USAGE', `--${name} expects a value`);
  return v;
}

export function numberOpt(
  args: ParsedArgs,
  name: string,
  opts: { default?: number; min?: number; max?: number; integer?: boolean } = {},
): number {
  const raw = stringOpt(args, name);
  if (raw === undefined) {
    if (opts.default === undefined) throw new CrosswatchError('USAGE', `--${name} is required`);
    return opts.default;
  }
  const n = Number(raw);
  const kind = opts.integer ? 'an integer' : 'a number';
  if (raw.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
    throw new CrosswatchError('USAGE', `--${name} expects ${kind}, got ${JSON.stringify(raw)}`);
  }
  if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    throw new CrosswatchError('USAGE', `--${name} expects ${kind} in [${opts.min ?? '-inf'}, ${opts.max ?? 'inf'}], got ${raw}`);
  }
  return n;
}
