/**
 * The CLI without the process around it: parse argv, run the command, turn every error into one
 * line (what went wrong + what to do; the stack only with --verbose) and an exit code. main.ts calls
 * it with the real streams; tests call it with buffers.
 * Must not import: worker/, ui/, gpu/ (backend.ts brings gpu/register).
 */
import { isUserError } from '../core/userError';
import { APP_VERSION } from '../core/version';
import { commandSpec, hasFlag, parseArgs, type CommandName, type ParsedArgs } from './args';
import { CliError, errorLine, EXIT_FAILURE, EXIT_OK } from './cliError';
import { evalCommand } from './commands/eval';
import { exportCommand } from './commands/export';
import { infoCommand } from './commands/info';
import { resumeCommand } from './commands/resume';
import { sweepCommand } from './commands/sweep';
import { trainCommand } from './commands/train';
import { commandHelp, overviewHelp, settingsHelp } from './help';
import { createOutput, type CliOutput, type TextStream } from './output';

const COMMAND_RUNNERS: Record<Exclude<CommandName, 'help'>, (args: ParsedArgs, out: CliOutput) => Promise<number>> = {
  train: trainCommand,
  resume: resumeCommand,
  eval: evalCommand,
  export: exportCommand,
  info: infoCommand,
  sweep: sweepCommand,
};

function help(args: ParsedArgs, out: CliOutput): number {
  const topic = args.positionals[0];
  if (topic === '--version') out.result(APP_VERSION, { version: APP_VERSION });
  else if (topic === undefined) out.result(overviewHelp(), { help: overviewHelp() });
  else if (topic === 'settings' || topic === 'config') out.result(settingsHelp(), { help: settingsHelp() });
  else {
    const spec = ['train', 'resume', 'eval', 'export', 'info', 'sweep', 'help'].includes(topic) ? commandSpec(topic as CommandName) : null;
    if (!spec) throw new CliError(`There is no help topic "${topic}".`, 'Topics: train, resume, eval, export, info, sweep, settings.', 2);
    out.result(commandHelp(spec), { help: commandHelp(spec) });
  }
  return EXIT_OK;
}

/** Runs the CLI for `argv` (without node and script); returns the exit code. */
export async function runCli(argv: readonly string[], stdout: TextStream, stderr: TextStream): Promise<number> {
  // Modes are read from argv directly so that even a parse error honours --json and --verbose.
  const modes = { isJson: argv.includes('--json'), isQuiet: argv.includes('--quiet'), isVerbose: argv.includes('--verbose') };
  let out = createOutput(modes, stdout, stderr);
  try {
    const args = parseArgs(argv);
    out = createOutput({ isJson: hasFlag(args, 'json'), isQuiet: hasFlag(args, 'quiet'), isVerbose: hasFlag(args, 'verbose') }, stdout, stderr);
    return args.command === 'help' ? help(args, out) : await COMMAND_RUNNERS[args.command](args, out);
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : EXIT_FAILURE;
    const line = errorLine(e);
    const isUnexpected = !isUserError(e);
    stderr.write(`error: ${line}${isUnexpected && !modes.isVerbose ? ' (run again with --verbose for the stack trace)' : ''}\n`);
    if (modes.isVerbose && e instanceof Error && e.stack) stderr.write(`${e.stack}\n`);
    out.event({ type: 'error', message: line, exitCode: code });
    return code;
  }
}
