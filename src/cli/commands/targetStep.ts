/**
 * --steps of `train` and `resume`: the absolute step to stop at. Beyond totalSteps it is capped
 * (the learning-rate schedule ends there) with a warning; at or before the current step it is refused.
 * Must not import: tfjs, worker/, ui/, gpu/.
 */
import type { RunConfig } from '../../core/config/runConfig';
import { intOption, type ParsedArgs } from '../args';
import { UsageError } from '../cliError';
import type { CliOutput } from '../output';

/** The step to train until, from --steps (default totalSteps). */
export function targetStepOf(args: ParsedArgs, out: CliOutput, config: RunConfig, currentStep: number): number {
  const asked = intOption(args, 'steps', 1, 1_000_000_000, config.totalSteps);
  if (asked > config.totalSteps) out.warn(`--steps ${asked} is past totalSteps ${config.totalSteps}, where the learning-rate schedule ends; training stops at step ${config.totalSteps}.`);
  const target = Math.min(asked, config.totalSteps);
  if (target <= currentStep) {
    throw new UsageError(
      `The run is at step ${currentStep} already, and --steps ${asked} is the step to stop at (absolute), so there is nothing to train${target < asked ? ` (totalSteps is ${config.totalSteps})` : ''}.`,
      target < asked ? 'This run has finished its schedule; start a new run with a larger totalSteps.' : `Pass a --steps larger than ${currentStep}.`,
    );
  }
  return target;
}
