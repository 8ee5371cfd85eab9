/**
 * DatasetSelect: the select of the config panel's "Dataset" row — the built-in set and every set
 * stored in this browser (plus the current value when the link names one this browser lacks).
 * Must not import: zustand, recharts, tfjs.
 */
import type { ChangeEvent, SelectHTMLAttributes } from 'react';
import type { DatasetRef } from '../../../core/config/runConfig';
import { useDatasetChoices } from '../../hooks/useDatasets';

/** Props of DatasetSelect: the current reference plus the usual select attributes. */
export interface DatasetSelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  value: DatasetRef;
  onChange: (e: ChangeEvent<HTMLSelectElement>) => void;
}

/** A select of dataset references. */
export function DatasetSelect({ value, onChange, ...rest }: DatasetSelectProps) {
  const choices = useDatasetChoices(value);
  return (
    <select {...rest} value={value} onChange={onChange}>
      {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
    </select>
  );
}
