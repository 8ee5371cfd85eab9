/**
 * Entry of the headless CLI (`npm run cli -- <command> …`, built and started by scripts/cli.mjs):
 * runs runCli on the process's argv and streams, then exits with its code once stdout has drained
 * (exiting explicitly, since a Dawn GPU instance would otherwise keep Node alive).
 * Must not import: worker/, ui/, gpu/ (backend.ts brings gpu/register).
 */
import { runCli } from './runCli';

const code = await runCli(process.argv.slice(2), process.stdout, process.stderr);
process.exitCode = code;
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
