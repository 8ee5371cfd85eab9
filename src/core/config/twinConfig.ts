/**
 * Twin run configs: one config becomes two runs that differ only in HVP — the "off" twin trains
 * on plain pairs (hvpMode 'off'), the "on" twin with the config's HVP mode ('hard' when the config
 * says 'off'). Everything else (seed, data order, model init, schedule) is the same, so their
 * curves compare HVP against no HVP and nothing else.
 * Pure data, no tfjs. Must not import: tfjs, DOM, React.
 */
import type { HvpMode, RunConfig } from './runConfig';

/** The two twins, in the order they take each step. */
export type TwinArm = 'off' | 'on';
export const TWIN_ARMS: readonly TwinArm[] = ['off', 'on'];

/** The HVP mode of the "on" twin: the config's own, or the paper's `hard` when the config says off. */
export function twinOnMode(config: Pick<RunConfig, 'hvpMode'>): Exclude<HvpMode, 'off'> {
  return config.hvpMode === 'off' ? 'hard' : config.hvpMode;
}

/** The configs of both twins (fresh objects; `config` is not changed). */
export function twinConfigs(config: RunConfig): Record<TwinArm, RunConfig> {
  return { off: { ...config, hvpMode: 'off' }, on: { ...config, hvpMode: twinOnMode(config) } };
}

/** Legend / table label of a twin, e.g. "HVP off" and "HVP on (hard, N=4)". */
export function twinArmLabel(arm: TwinArm, config: Pick<RunConfig, 'hvpMode' | 'numViews'>): string {
  return arm === 'off' ? 'HVP off' : `HVP on (${twinOnMode(config)}, N=${config.numViews})`;
}
