/**
 * Command-line parsing: the table of commands and their options, `parseArgs` (argv → command,
 * positionals, option values), and typed readers that turn a bad value into a UsageError naming the
 * option, the value and what is allowed. Options take `--name value` or `--name=value`. Numbers are
 * plain decimals (no 0x/0b/0o, no Infinity); messages echo arguments shortened (core/config/valueText).
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { parseDecimal } from '../core/config/decimal';
import { quoteText, shortText } from '../core/config/valueText';
import { UsageError } from './cliError';

/** Commands the CLI runs. */
export type CommandName = 'train' | 'resume' | 'eval' | 'export' | 'info' | 'sweep' | 'help';

/** One option: a flag (no value), a value, a list (repeatable value), or paths (a list that also takes
 * every following argument up to the next option: `--data a.bin b.bin`). */
export interface OptionSpec {
  name: string;
  kind: 'flag' | 'value' | 'list' | 'paths';
  /** Placeholder of the value in the help text, e.g. FILE. */
  valueName?: string;
  help: string;
}

/** A command: its positional arguments and options. */
export interface CommandSpec {
  name: CommandName;
  /** Names of the positional arguments, e.g. ['CHECKPOINT']. */
  positionals: string[];
  summary: string;
  options: OptionSpec[];
}

const BACKEND: OptionSpec = { name: 'backend', kind: 'value', valueName: 'auto|webgpu|wasm|cpu', help: 'auto (default): WebGPU through Dawn when a GPU adapter exists, else wasm (SIMD, about 20× faster than cpu), else the tfjs CPU backend; webgpu: fail without an adapter; wasm: tfjs-backend-wasm; cpu: the pure-JS reference.' };
const JSON_OUT: OptionSpec = { name: 'json', kind: 'flag', help: 'Machine-readable output: one JSON object per line on stdout (messages stay on stderr).' };
const QUIET: OptionSpec = { name: 'quiet', kind: 'flag', help: 'No progress bar and no messages except warnings and errors.' };
const VERBOSE: OptionSpec = { name: 'verbose', kind: 'flag', help: 'Show stack traces and tfjs warnings.' };
const HELP: OptionSpec = { name: 'help', kind: 'flag', help: 'Show this help.' };
const STEPS_HELP = 'Train until this step (absolute; the schedule still ends at totalSteps). Default: totalSteps.';
const SAVE_EVERY: OptionSpec = { name: 'save-every', kind: 'value', valueName: 'K', help: "Also save the checkpoint every K steps (atomically, to --out). Default: the config's autosaveEvery; 0 = only at the end." };
const DATA: OptionSpec = { name: 'data', kind: 'paths', valueName: 'PATH…', help: 'The dataset files, as the browser imports them: CIFAR-10/100 binary (.tar.gz or .bin), MNIST/Fashion-MNIST IDX (.gz or raw), a folder of images (sub-folder = class) or a .zip of one. A run on them is resumed with the same files. Put it last, or repeat it per path.' };
const LOG_VIEWS: OptionSpec = { name: 'log-views', kind: 'value', valueName: 'FILE', help: 'Write the per-view augmentation log of every HVP selection step to FILE (.csv or .jsonl): per image and candidate pair, both views\' crop, flip, jitter factors and order, grayscale, blur and solarize, the pair\'s IoU, centre and colour distance, per-sample loss and whether it was selected. Appended as the run goes; --force replaces an existing FILE. Costs one small read per selection step.' };
const FORCE: OptionSpec = { name: 'force', kind: 'flag', help: 'Overwrite an existing output file.' };

/** All commands, in help order. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'train',
    positionals: [],
    summary: 'Start a new run from the defaults + a config file + --set overrides; save a checkpoint at the end (and on Ctrl-C).',
    options: [
      { name: 'config', kind: 'value', valueName: 'FILE', help: 'JSON object of settings (keys as in `help settings`), applied over the defaults.' },
      { name: 'set', kind: 'list', valueName: 'KEY=VALUE', help: 'One setting, e.g. --set batchSize=32 --set hvpMode=off; applied after --config. Repeatable.' },
      { name: 'steps', kind: 'value', valueName: 'N', help: STEPS_HELP },
      { name: 'out', kind: 'value', valueName: 'FILE', help: 'Checkpoint file to write. Default: hvp-<method>-<hvpMode>-seed<seed>.safetensors.' },
      DATA, SAVE_EVERY, LOG_VIEWS, FORCE, BACKEND, JSON_OUT, QUIET, VERBOSE, HELP,
    ],
  },
  {
    name: 'resume',
    positionals: ['CHECKPOINT'],
    summary: 'Continue a run exactly where its checkpoint (from the CLI or the browser) left off.',
    options: [
      { name: 'steps', kind: 'value', valueName: 'N', help: STEPS_HELP },
      { name: 'out', kind: 'value', valueName: 'FILE', help: 'Checkpoint file to write. Default: CHECKPOINT itself (replaced atomically).' },
      DATA, SAVE_EVERY, LOG_VIEWS, FORCE, BACKEND, JSON_OUT, QUIET, VERBOSE, HELP,
    ],
  },
  {
    name: 'eval',
    positionals: ['CHECKPOINT'],
    summary: "Weighted kNN top-1 accuracy of the checkpoint's backbone on the held-out split.",
    options: [DATA, BACKEND, JSON_OUT, QUIET, VERBOSE, HELP],
  },
  {
    name: 'export',
    positionals: ['CHECKPOINT'],
    summary: 'Write the backbone as tfjs LayersModel files or as a torchvision state dict (.safetensors).',
    options: [
      { name: 'format', kind: 'value', valueName: 'tfjs|torchvision|safetensors-backbone', help: 'tfjs: model.json + model.weights.bin (tf.loadLayersModel; ResNets). torchvision: backbone.safetensors with torchvision ResNet keys (ResNets). safetensors-backbone: backbone.safetensors, the PyTorch state dict of any backbone (ViT: timm names).' },
      { name: 'out', kind: 'value', valueName: 'DIR', help: 'Directory to write into (created if missing).' },
      FORCE, JSON_OUT, QUIET, VERBOSE, HELP,
    ],
  },
  {
    name: 'info',
    positionals: ['CHECKPOINT'],
    summary: 'Summarise a checkpoint: method, step, epoch, settings that differ from the defaults, dataset, app version.',
    options: [JSON_OUT, VERBOSE, HELP],
  },
  {
    name: 'sweep',
    positionals: [],
    summary: 'Train a grid of runs one after another (each with HVP off and on) and write final kNN, probe, hit rate, selected IoU and wall time per run to a JSON + CSV; rerun to continue.',
    options: [
      { name: 'grid', kind: 'list', valueName: 'KEY=V1,V2,…', help: 'A swept setting and its values, e.g. --grid numViews=2,4,8 --grid cropScaleMin=0.08,0.2,0.5; every combination runs. Values are checked like --set. Repeatable (one per key).' },
      { name: 'seeds', kind: 'value', valueName: 'S1,S2,…', help: 'Seeds to run every grid point with, e.g. 0,1,2. Default: the seed setting.' },
      { name: 'config', kind: 'value', valueName: 'FILE', help: 'JSON object of settings every run starts from (keys as in `help settings`).' },
      { name: 'set', kind: 'list', valueName: 'KEY=VALUE', help: "A setting of every run, applied after --config. hvpMode picks the 'on' mode (default hard; off counts as hard); every run evaluates at its last step (with knnEvery=0 only there). Repeatable." },
      { name: 'steps', kind: 'value', valueName: 'N', help: 'Train every run until this step (capped at its totalSteps). Default: totalSteps.' },
      { name: 'out', kind: 'value', valueName: 'FILE', help: 'Results JSON, rewritten atomically after every run; when it exists, the same sweep continues (finished runs are skipped) and another sweep is refused. Default: sweep.json.' },
      { name: 'csv', kind: 'value', valueName: 'FILE', help: 'The same results as CSV with a header line. Default: --out with .csv for .json.' },
      BACKEND, JSON_OUT, QUIET, VERBOSE, HELP,
    ],
  },
  {
    name: 'help',
    positionals: ['[COMMAND|settings]'],
    summary: 'Show help for a command, or every setting with its default and range (`help settings`).',
    options: [],
  },
];

/** The parsed command line. */
export interface ParsedArgs {
  command: CommandName;
  positionals: string[];
  /** Values of 'value' options, and 'true' for flags that were given. */
  values: Map<string, string>;
  /** Values of 'list' options, in order. */
  lists: Map<string, string[]>;
}

const helpHint = (command?: string) => `Run \`npm run cli -- help${command ? ` ${command}` : ''}\` for the usage.`;

/** Looks up a command spec. */
export function commandSpec(name: CommandName): CommandSpec {
  return COMMANDS.find((c) => c.name === name)!;
}

/**
 * Parses argv (without node and the script). `--help`/`-h` anywhere → the help command for the
 * command given; `--version` → command 'help' with positional '--version'. Throws UsageError for an
 * unknown command or option, a missing value, or a wrong number of positionals.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0) return { command: 'help', positionals: [], values: new Map(), lists: new Map() };
  const [first, ...rest] = argv as [string, ...string[]];
  if (first === '--version' || first === '-v') return { command: 'help', positionals: ['--version'], values: new Map(), lists: new Map() };
  if (first === '--help' || first === '-h') return { command: 'help', positionals: rest.filter((a) => !a.startsWith('-')).slice(0, 1), values: new Map(), lists: new Map() };
  const spec = COMMANDS.find((c) => c.name === first);
  if (!spec) {
    const guess = first.startsWith('-') ? ' Put the command first, e.g. `npm run cli -- train --steps 10`.' : '';
    throw new UsageError(`Unknown command ${quoteText(first)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}.${guess}`, helpHint());
  }
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', positionals: [spec.name], values: new Map(), lists: new Map() };
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const opt = spec.options.find((o) => o.name === name);
    if (!opt) {
      const known = spec.options.map((o) => `--${o.name}`).join(', ');
      throw new UsageError(`Unknown option --${shortText(name)} for "${spec.name}"; it takes ${known || 'no options'}.`, helpHint(spec.name));
    }
    if (opt.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`Option --${name} takes no value (got ${quoteText(arg)}).`, helpHint(spec.name));
      values.set(name, 'true');
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = rest[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`Option --${name} needs a value (${opt.valueName ?? 'VALUE'}).`, helpHint(spec.name));
      value = next;
      i += 1;
    }
    if (opt.kind === 'paths') {
      const more: string[] = [];
      while (i + 1 < rest.length && !rest[i + 1]!.startsWith('--')) more.push(rest[++i]!);
      lists.set(name, [...(lists.get(name) ?? []), value, ...more]);
    } else if (opt.kind === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
    else if (values.has(name)) throw new UsageError(`Option --${name} was given twice (${quoteText(values.get(name)!)} and ${quoteText(value)}).`, 'Give it once.');
    else values.set(name, value);
  }
  const required = spec.positionals.filter((p) => !p.startsWith('['));
  if (positionals.length < required.length) {
    throw new UsageError(`"${spec.name}" needs ${required.join(' ')}${positionals.length ? '' : ' (none given)'}.`, helpHint(spec.name));
  }
  if (positionals.length > spec.positionals.length) {
    const extra = positionals.slice(spec.positionals.length);
    throw new UsageError(`"${spec.name}" got unexpected argument(s): ${extra.slice(0, 5).map((a) => quoteText(a)).join(' ')}${extra.length > 5 ? ` …and ${extra.length - 5} more` : ''}.`, `${spec.positionals.length ? `It takes ${spec.positionals.join(' ')} only.` : 'It takes no positional arguments; options start with --.'} ${helpHint(spec.name)}`);
  }
  return { command: spec.name, positionals, values, lists };
}

/** Whether flag `name` was given. */
export const hasFlag = (a: ParsedArgs, name: string): boolean => a.values.get(name) === 'true';

/** A whole-number option in [min, max], or `fallback` when absent. */
export function intOption(a: ParsedArgs, name: string, min: number, max: number, fallback: number): number;
export function intOption(a: ParsedArgs, name: string, min: number, max: number): number | undefined;
export function intOption(a: ParsedArgs, name: string, min: number, max: number, fallback?: number): number | undefined {
  const raw = a.values.get(name);
  if (raw === undefined) return fallback;
  const parsed = parseDecimal(raw);
  const n = parsed.value;
  if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
    const why = parsed.reason === undefined ? '' : ` (${parsed.reason})`;
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${quoteText(raw)}${why}.`, helpHint(a.command));
  }
  return n;
}

/** An option whose value is one of `choices`, or `fallback` when absent. */
export function choiceOption<T extends string>(a: ParsedArgs, name: string, choices: readonly T[], fallback: T | undefined): T | undefined {
  const raw = a.values.get(name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${quoteText(raw)}.`, helpHint(a.command));
  return raw as T;
}

/** A required value option. */
export function requiredOption(a: ParsedArgs, name: string, what: string): string {
  const raw = a.values.get(name);
  if (raw === undefined || raw === '') throw new UsageError(`"${a.command}" needs --${name} ${what}.`, helpHint(a.command));
  return raw;
}
