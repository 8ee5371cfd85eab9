/**
 * Ctrl-C for `sweep`: the sweep owns SIGINT for its whole length and hands each cell's training run
 * (trainingRun.ts) the signal hooks it expects. The first Ctrl-C stops the current cell's run
 * (runTraining finishes its step and returns 130, and the sweep abandons the cell) — also when it
 * comes while the cell is still being set up — and no further cell starts; a second one quits at once.
 * The results file is only ever replaced whole between cells, so either way it stays consistent.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { EXIT_INTERRUPTED } from './cliError';
import type { SignalHooks } from './trainingRun';

/** The sweep's interrupt state. */
export interface SweepInterrupts {
  /** Hooks for one cell's run. */
  hooks: SignalHooks;
  /** Whether Ctrl-C was pressed. */
  isInterrupted(): boolean;
  /** Removes the process handler. */
  dispose(): void;
}

/** Installs the sweep's SIGINT handler; `onQuit` speaks before a second Ctrl-C exits. */
export function installSweepInterrupts(onFirst: () => void, onQuit: () => void, exit: (code: number) => never = (c) => process.exit(c)): SweepInterrupts {
  let count = 0;
  let cellHandler: (() => void) | null = null;
  const quit = (code: number): never => {
    onQuit();
    return exit(code);
  };
  const onSigint = () => {
    count += 1;
    if (count === 1) onFirst();
    if (cellHandler) cellHandler();
    else if (count > 1) quit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  return {
    hooks: {
      onInterrupt(handler) {
        cellHandler = handler;
        if (count > 0) handler(); // pressed while the cell was being set up: stop before its first step
        return () => {
          if (cellHandler === handler) cellHandler = null;
        };
      },
      exitNow: quit,
    },
    isInterrupted: () => count > 0,
    dispose: () => void process.off('SIGINT', onSigint),
  };
}
