/**
 * ConfigPanel: one input per CONFIG_SCHEMA row that applies to the chosen method and backbone
 * (schema `methods` / `backbones`), grouped by `group`, advanced rows behind a toggle, under the
 * paper-preset chooser (PresetSelect). Shows the
 * URL decode warnings (dismissible), the cross-field conflicts, and locks all inputs while a run
 * holds the config.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo, useState } from 'react';
import type { RunConfig } from '../../../core/config/runConfig';
import { CONFIG_SCHEMA, isFieldApplicable, type FieldGroup, type FieldSpec } from '../../../core/config/schema';
import { selectCanEditConfig, selectCrossIssues } from '../../store/selectors';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import { ConfigField } from '../ConfigField/ConfigField';
import { PresetSelect } from '../PresetSelect/PresetSelect';
import styles from './ConfigPanel.module.css';

/** Section titles, in panel order. */
const GROUP_TITLES: ReadonlyArray<[FieldGroup, string]> = [
  ['method', 'Method & HVP'],
  ['data', 'Data'],
  ['model', 'Model'],
  ['optim', 'Optimisation'],
  ['augment', 'Augmentation'],
  ['eval', 'Evaluation & logging'],
  ['run', 'Run'],
];

const NUM_ADVANCED = CONFIG_SCHEMA.filter((s) => s.isAdvanced).length;

/** The settings form. */
export function ConfigPanel() {
  const store = useAppStoreApi();
  const config = useAppStore((s) => s.config);
  const canEdit = useAppStore(selectCanEditConfig);
  const fieldIssues = useAppStore((s) => s.fieldIssues);
  const [showAdvanced, setShowAdvanced] = useState(false);
  const crossIssues = useMemo(() => selectCrossIssues(config), [config]);

  const crossByKey = useMemo(() => {
    const m = new Map<keyof RunConfig | 'config', string>();
    for (const i of crossIssues) m.set(i.key, m.has(i.key) ? `${m.get(i.key)} ${i.message}` : i.message);
    return m;
  }, [crossIssues]);

  // Fields of another method or backbone are hidden. A hidden advanced field with a problem is
  // shown anyway so its message is never out of sight.
  const isVisible = (spec: FieldSpec) =>
    isFieldApplicable(spec, config) && (showAdvanced || !spec.isAdvanced || crossByKey.has(spec.key) || spec.key in fieldIssues);

  return (
    <section className={styles.panel} data-testid="config-panel" aria-label="Settings">
      <header className={styles.head}>
        <h2 className={styles.title}>Settings</h2>
        <button type="button" className={styles.linkButton} disabled={!canEdit} onClick={() => store.getState().resetConfig()}>
          Reset to defaults
        </button>
      </header>

      <PresetSelect />

      {!canEdit ? (
        <p className={styles.locked} data-testid="config-locked">Settings are locked while a run is active. Stop the run to change settings.</p>
      ) : null}

      {crossIssues.length > 0 ? (
        <div className={styles.conflicts} role="status" data-testid="config-conflicts">
          <strong>Conflicting settings — Start is disabled until they agree:</strong>
          <ul>
            {crossIssues.map((i) => <li key={i.message}>{i.message}</li>)}
          </ul>
        </div>
      ) : null}

      <label className={styles.toggle}>
        <input type="checkbox" checked={showAdvanced} onChange={(e) => setShowAdvanced(e.target.checked)} data-testid="config-advanced-toggle" />
        Show advanced settings ({NUM_ADVANCED})
      </label>

      {GROUP_TITLES.map(([group, title]) => {
        const rows = CONFIG_SCHEMA.filter((s) => s.group === group && isVisible(s));
        if (rows.length === 0) return null;
        return (
          <fieldset key={group} className={styles.group}>
            <legend className={styles.legend}>{title}</legend>
            {rows.map((spec) => (
              <ConfigField key={spec.key} spec={spec} crossMessage={crossByKey.get(spec.key) ?? null} isDisabled={!canEdit} />
            ))}
          </fieldset>
        );
      })}
    </section>
  );
}
