/**
 * PresetSelect: a "Presets" select that replaces the settings with the quick demo or one of the
 * paper-finding presets (core/config/presets) and shows what to look for. Disabled while a run holds the
 * config; the URL follows like for any config change (useUrlConfig).
 * Must not import: zustand, recharts, tfjs.
 */
import { useState } from 'react';
import { applyPreset, PAPER_PRESETS, presetById, type Preset } from '../../../core/config/presets/paperPresets';
import { QUICK_DEMO, quickDemoConfig } from '../../../core/config/presets/quickDemo';
import { selectCanEditConfig } from '../../store/selectors';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import styles from './PresetSelect.module.css';

/** The preset chooser with the chosen preset's description. */
export function PresetSelect() {
  const store = useAppStoreApi();
  const canEdit = useAppStore(selectCanEditConfig);
  const [appliedId, setAppliedId] = useState<string | null>(null);
  const byId = (id: string): Preset => (id === QUICK_DEMO.id ? QUICK_DEMO : presetById(id));
  const applied = appliedId !== null ? byId(appliedId) : null;

  const onChange = (id: string) => {
    if (id === '' || !selectCanEditConfig(store.getState())) return;
    const current = store.getState().config;
    store.getState().loadConfig(id === QUICK_DEMO.id ? quickDemoConfig(current) : applyPreset(presetById(id), current), []);
    setAppliedId(id);
  };

  return (
    <div className={styles.wrap}>
      <label className={styles.label}>
        Presets
        <select data-testid="preset-select" value="" disabled={!canEdit} onChange={(e) => onChange(e.target.value)}
          title="Replaces the settings with the quick demo (on the built-in shapes) or with a run that reproduces one of the paper's findings (keeping your dataset and backend).">
          <option value="">Apply a preset…</option>
          <option value={QUICK_DEMO.id}>{QUICK_DEMO.name}</option>
          {PAPER_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </label>
      {applied ? (
        <p className={styles.description} data-testid="preset-description">
          <strong>{applied.name}:</strong> {applied.description}
        </p>
      ) : null}
    </div>
  );
}
