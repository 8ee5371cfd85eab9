/**
 * Help texts of the CLI: the overview, one command's usage and options (from the command table in
 * args.ts), and `help settings`, every run setting with its default and range (from the config
 * schema, the same table the browser's config panel uses).
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { DEFAULT_CONFIG } from '../core/config/runConfig';
import { CONFIG_SCHEMA } from '../core/config/schema';
import { APP_VERSION } from '../core/version';
import { COMMANDS, type CommandSpec } from './args';

const RUN = 'npm run cli --';

const usageLine = (c: CommandSpec): string =>
  `${RUN} ${c.name}${c.positionals.length ? ' ' + c.positionals.join(' ') : ''}${c.options.length ? ' [options]' : ''}`;

/** The overview: commands, exit codes, backend choice. */
export function overviewHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `HVP Playground ${APP_VERSION} — headless training, evaluation and export (Node).`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`${RUN} help COMMAND\` for a command's options and \`${RUN} help settings\` for the run settings.`,
    'Checkpoints are the same .safetensors files the browser exports and imports, in both directions.',
    'Backend: WebGPU through Dawn (the `webgpu` package) when a GPU adapter exists, else wasm (tfjs-backend-wasm, SIMD), else the tfjs CPU backend; the CLI says which and why.',
    'Exit codes: 0 done, 1 failed, 2 bad usage or invalid setting, 130 stopped by Ctrl-C (after saving).',
  ].join('\n');
}

/** Usage and options of one command. */
export function commandHelp(c: CommandSpec): string {
  const opts = c.options.map((o) => [`--${o.name}${o.kind === 'flag' ? '' : ` ${o.valueName ?? 'VALUE'}`}`, o.help] as const);
  const width = Math.max(0, ...opts.map(([l]) => l.length));
  return [
    `Usage: ${usageLine(c)}`,
    '',
    c.summary,
    ...(opts.length ? ['', 'Options:', ...opts.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`)] : []),
  ].join('\n');
}

/** Every setting: key, default, allowed values, label. */
export function settingsHelp(): string {
  const rows = CONFIG_SCHEMA.map((f) => {
    const allowed = f.kind === 'enum' ? f.choices.join('|') : f.kind === 'dataset' ? 'builtin' : `${f.min}–${f.max}${f.kind === 'int' ? ' (whole)' : ''}`;
    return [f.key, String(DEFAULT_CONFIG[f.key]), allowed, f.label] as const;
  });
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `Run settings (train --set KEY=VALUE, or a --config JSON file). Columns: key, default, allowed, meaning.`,
    'dataset: builtin (the default); a run on your own files takes --data PATH… instead (CIFAR .tar.gz/.bin, IDX, an image folder or .zip).',
    '',
    ...rows.map((r) => `  ${r[0].padEnd(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}`),
  ].join('\n');
}
