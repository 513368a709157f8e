// `crosswatch <command> [options]`: finds the command, parses its options,
// loads the configuration and turns every known error into one clear line.
import { loadConfig } from '../config.ts';
import { log } from '../log.ts';
import { isCrosswatchError } from '../../pipelines/errors.ts';
import { commands } from './commands/index.ts';
import { parseCommandArgs, type Command, type CommandContext } from './command.ts';

export async function main(argv: string[], out: (text: string) => void = (t) => process.stdout.write(t + '\n')): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const asked = argv.filter((a) => !a.startsWith('-')).join(' ');
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    out(usage());
    if (!wantsHelp && asked) process.stderr.write(`crosswatch: unknown command "${asked}"\n`);
    return wantsHelp && !asked.replace(/^help$/, '') ? 0 : 2;
  }
  const { command, rest } = found;
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values['help']) {
      out(`crosswatch ${command.name} ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    const config = loadConfig();
    log.level = config.logLevel;
    const ctx: CommandContext = { config, log, out };
    return await command.run(args, ctx);
  } catch (err) {
    if (isCrosswatchError(err)) {
      process.stderr.write(`crosswatch ${command.name}: ${err.message}\n`);
      return err.code === 'USAGE' ? 2 : 1;
    }
    log.error({ err, command: command.name }, 'command failed');
    process.stderr.write(`crosswatch ${command.name}: ${(err as Error).message}\n`);
    return 1;
  }
}

/** Longest match of command words at the start of argv. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Crosswatch: traffic-video compliance analytics\n\nusage: crosswatch <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "crosswatch <command> --help" for a command's options.`;
}
