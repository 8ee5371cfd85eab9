// Runs the headless CLI (scripts/cli.mjs → src/cli/main.ts) in a child process, for the CLI tests and
// the browser ↔ CLI checkpoint spec: build the bundle once, then spawn commands and collect their
// output, with the tiny run settings as --set arguments.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config/runConfig';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI_SCRIPT = join(ROOT, 'scripts', 'cli.mjs');

/** What a finished CLI process left. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI child: no Vulkan ICD override, so `--backend auto` means what it says. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('VK_ICD_FILENAMES' in extra)) delete env.VK_ICD_FILENAMES;
  return env;
}

/** Builds the CLI bundle if its sources changed (call once before spawning many). */
export function buildCli(): void {
  const r = spawnSync(process.execPath, [CLI_SCRIPT, '--build-only'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`building the CLI failed (exit ${r.status}):\n${r.stderr}`);
}

/** Starts the CLI with `args`; `onStdoutLine` sees each stdout line as it arrives. */
export function startCli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string>; onStdoutLine?: (line: string, child: ChildProcess) => void } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI_SCRIPT, ...args], { cwd: opts.cwd ?? ROOT, env: cliEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) opts.onStdoutLine?.(line, child);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the CLI with `args` to the end. */
export function runCli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** `--set key=value` arguments for every field of `config` that differs from the defaults. */
export function setArgs(config: Partial<RunConfig>): string[] {
  return Object.entries(config).flatMap(([k, v]) => (DEFAULT_CONFIG[k as keyof RunConfig] === v ? [] : ['--set', `${k}=${String(v)}`]));
}

/** The JSON lines of a --json run's stdout. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}
