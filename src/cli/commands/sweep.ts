/**
 * `sweep`: a grid of training runs, one after another — every combination of the --grid values, for
 * every --seeds seed, with HVP off and on (sweepSpec.ts) — each the ordinary `train` run
 * (sweepCell.ts), with a results JSON and CSV rewritten atomically after every cell (sweepFile.ts).
 * Rerunning the same command continues: cells already in --out are skipped; another sweep's file is
 * refused. A cell whose training fails is reported and left out of the file (a rerun tries it again).
 * Must not import: worker/, ui/, gpu/.
 */
import { choiceOption, intOption, type ParsedArgs } from '../args';
import { BACKEND_PREFERENCES } from '../backend';
import { checkOutputFile } from '../checkpointIo';
import { CliError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, errorLine, UsageError } from '../cliError';
import { buildRunConfig, parseSets, readConfigFile } from '../configInput';
import type { CliOutput } from '../output';
import { formatDuration } from '../progress';
import { runCell } from '../sweepCell';
import { csvPathFor, readPreviousCells, writeSweepFiles, type CellResult } from '../sweepFile';
import { installSweepInterrupts } from '../sweepSignals';
import { expandCells, hvpOnMode, parseGrid, parseSeeds, type SweepSpec } from '../sweepSpec';

/** Default results file. */
export const DEFAULT_SWEEP_OUT = 'sweep.json';

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);

/** The one line of a finished cell. */
const cellLine = (r: CellResult): string =>
  `kNN ${pct(r.knnTop1)}, probe ${pct(r.linearProbeTop1)}, hit rate ${pct(r.meanLowestIouHitRate)}, selected IoU ${r.meanSelectedIou === null ? '—' : r.meanSelectedIou.toFixed(3)} (mean of ${r.numLoggedSteps} logged steps), ${formatDuration(r.wallMs)}`;

/** Runs `sweep`; returns the exit code (0 all cells done, 1 some failed, 130 stopped by Ctrl-C). */
export async function sweepCommand(args: ParsedArgs, out: CliOutput): Promise<number> {
  // ---- what to run: everything validated before any training ----
  const configPath = args.values.get('config');
  const file = configPath === undefined ? null : { path: configPath, values: readConfigFile(configPath) };
  const sets = parseSets(args.lists.get('set') ?? []);
  const base = buildRunConfig(file, sets);
  const grid = parseGrid(args.lists.get('grid') ?? [], base);
  const seeds = parseSeeds(args.values.get('seeds'), base);
  const spec: SweepSpec = { grid, seeds, hvpModes: ['off', hvpOnMode(base)], steps: intOption(args, 'steps', 1, 1_000_000_000) ?? null, base };
  const cells = expandCells(spec, file, sets);
  const capped = cells.filter((c) => spec.steps !== null && c.targetStep < spec.steps);
  if (capped.length) out.warn(`--steps ${spec.steps} is past totalSteps of ${capped.length} run(s) (e.g. ${capped[0]!.id}), where the learning-rate schedule ends; they stop at their totalSteps.`);
  const backend = choiceOption(args, 'backend', BACKEND_PREFERENCES, 'auto')!;
  const outPath = args.values.get('out') ?? DEFAULT_SWEEP_OUT;
  const csvPath = csvPathFor(outPath, args.values.get('csv'));
  if (csvPath === outPath) throw new UsageError(`--csv and --out both name ${outPath}.`, 'Give the CSV another name.');
  checkOutputFile(outPath, { force: true });
  checkOutputFile(csvPath, { force: true });
  const ids = new Set(cells.map((c) => c.id));
  const results = readPreviousCells(outPath, spec).filter((r) => ids.has(r.id));
  const doneIds = new Set(results.map((r) => r.id));
  writeSweepFiles(outPath, csvPath, spec, cells.length, results);

  const numLeft = cells.filter((c) => !doneIds.has(c.id)).length;
  out.info(`Sweep of ${cells.length} runs (${cells.length / 2} settings × HVP off / ${spec.hvpModes[1]}), ${results.length} already in ${outPath}, ${numLeft} to run; results in ${outPath} and ${csvPath}.`);
  out.event({ type: 'sweep', numCells: cells.length, numDone: results.length, out: outPath, csv: csvPath, hvpModes: spec.hvpModes });

  // ---- the cells, one after another ----
  const interrupts = installSweepInterrupts(
    () => out.info(`Ctrl-C: abandoning the current run; ${outPath} keeps the finished cells (press Ctrl-C again to quit at once). Run the same command again to continue.`),
    () => out.warn(`quit; ${outPath} holds ${results.length} of ${cells.length} cells.`),
  );
  const failed: string[] = [];
  try {
    for (const [i, cell] of cells.entries()) {
      const tag = `cell ${i + 1}/${cells.length} ${cell.id}`;
      if (doneIds.has(cell.id)) {
        out.info(`${tag}: in ${outPath} already, skipped`);
        out.event({ type: 'cell', state: 'skipped', index: i, cell: cell.id });
        continue;
      }
      if (interrupts.isInterrupted()) break;
      out.info(`${tag}: training to step ${cell.targetStep}`);
      out.event({ type: 'cell', state: 'started', index: i, cell: cell.id, settings: cell.settings });
      let outcome;
      try {
        outcome = await runCell(out, cell, backend, interrupts.hooks);
      } catch (e) {
        if (!(e instanceof CliError) || e instanceof UsageError) throw e;
        failed.push(cell.id);
        out.warn(`${tag} failed: ${errorLine(e)} It is not recorded; a rerun tries it again.`);
        out.event({ type: 'cell', state: 'failed', index: i, cell: cell.id, message: errorLine(e) });
        continue;
      }
      if (outcome.kind === 'interrupted') {
        out.event({ type: 'cell', state: 'abandoned', index: i, cell: cell.id });
        break;
      }
      results.push(outcome.result);
      writeSweepFiles(outPath, csvPath, spec, cells.length, results);
      out.info(`${tag}: ${cellLine(outcome.result)}`);
      out.event({ type: 'cell', state: 'done', index: i, ...outcome.result });
    }
  } finally {
    interrupts.dispose();
  }

  // Stopped: Ctrl-C left cells unrun; failed: every cell ran, some failed.
  const state = interrupts.isInterrupted() && results.length + failed.length < cells.length ? 'stopped' : failed.length ? 'failed' : 'done';
  const summary = `sweep ${state}: ${results.length} of ${cells.length} cells in ${outPath} and ${csvPath}${failed.length ? `; failed: ${failed.join(', ')}` : ''}`;
  out.result(summary, { type: 'result', state, numCells: cells.length, numDone: results.length, failed, out: outPath, csv: csvPath });
  return state === 'stopped' ? EXIT_INTERRUPTED : state === 'failed' ? EXIT_FAILURE : EXIT_OK;
}
