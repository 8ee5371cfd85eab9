/**
 * ConfigField: one row of the config panel, driven by its CONFIG_SCHEMA row. Numbers are number
 * inputs, enums and the dataset choice are selects; the ⓘ popup shows the field's short tooltip
 * (also the native title) with the full help behind its "more" (core/config/schemaHelp.ts). A refused
 * entry stays visible with the schema's message (role="alert") while the store keeps the last
 * valid value; Escape or "revert" brings the valid value back.
 * Must not import: zustand, recharts, tfjs.
 */
import { useId, type ChangeEvent, type KeyboardEvent } from 'react';
import type { DatasetRef } from '../../../core/config/runConfig';
import type { FieldSpec } from '../../../core/config/schema';
import { fieldTip } from '../../../core/config/schemaHelp';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import { DatasetSelect } from '../DatasetPanel/DatasetSelect';
import { InfoTip } from '../InfoTip/InfoTip';
import styles from './ConfigField.module.css';

/** Props of ConfigField. */
export interface ConfigFieldProps {
  spec: FieldSpec;
  /** A cross-field problem that names this field, or null. */
  crossMessage: string | null;
  isDisabled: boolean;
}

/** One labelled, validated config input. */
export function ConfigField({ spec, crossMessage, isDisabled }: ConfigFieldProps) {
  const key = spec.key;
  const store = useAppStoreApi();
  const value = useAppStore((s) => s.config[key]);
  const draft = useAppStore((s) => s.drafts[key]);
  const issue = useAppStore((s) => s.fieldIssues[key]);
  const inputId = useId();
  const messageId = useId();
  const shown = draft ?? String(value);
  const tip = fieldTip(spec);

  const onChange = (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    store.getState().setField(key, e.target.value);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && issue) store.getState().revertField(key);
    if (e.key === 'Enter') store.getState().commitField(key);
  };
  const common = {
    id: inputId,
    title: tip.short,
    disabled: isDisabled,
    'data-testid': `config-field-${key}`,
    'aria-invalid': issue ? true : undefined,
    'aria-describedby': issue || crossMessage ? messageId : undefined,
    onBlur: () => store.getState().commitField(key),
  };

  return (
    <div className={`${styles.field} ${issue ? styles.invalid : ''}`} data-field={key}>
      <div className={styles.labelRow}>
        <label htmlFor={inputId} title={tip.short} className={styles.label}>
          {spec.label}
        </label>
        <InfoTip label={spec.label} text={tip.full} summary={tip.short} />
      </div>
      {spec.kind === 'dataset' ? (
        <DatasetSelect {...common} className={styles.control} value={shown as DatasetRef} onChange={onChange} />
      ) : spec.kind === 'enum' ? (
        <select {...common} className={styles.control} value={shown} onChange={onChange}>
          {spec.choices.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          className={styles.control}
          type="number"
          inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
          min={spec.min}
          max={spec.max}
          step={spec.kind === 'int' ? 1 : 'any'}
          value={shown}
          onChange={onChange}
          onKeyDown={onKeyDown}
        />
      )}
      {issue ? (
        <p role="alert" id={messageId} className={styles.error}>
          {issue}{' '}
          <button type="button" className={styles.revert} onClick={() => store.getState().revertField(key)}>
            revert
          </button>
        </p>
      ) : crossMessage ? (
        <p id={messageId} className={styles.conflict}>{crossMessage}</p>
      ) : null}
    </div>
  );
}
