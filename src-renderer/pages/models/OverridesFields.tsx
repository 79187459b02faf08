import type { TargetOverrides } from '../../../src-proxy/control/contract.ts';
import { parseOptionalNumber, withoutUndefined } from './number-input';

const NUMBER_FIELDS = [
  { key: 'maxTokens', label: 'Default max tokens', step: 1, min: 1 },
  { key: 'temperature', label: 'Temperature (replace)', step: 0.1, min: 0, max: 2 },
  { key: 'maxTemperature', label: 'Temperature (at most)', step: 0.1, min: 0, max: 2 },
  { key: 'topP', label: 'Top P', step: 0.05, min: 0, max: 1 },
] as const;

const EFFORTS = ['minimal', 'low', 'medium', 'high', 'max'] as const;

/** Parameter overrides applied when this target is used. */
export function OverridesFields({ overrides, onChange }: { overrides: TargetOverrides; onChange: (overrides: TargetOverrides) => void }) {
  return (
    <div className="overrides">
      {NUMBER_FIELDS.map((field) => (
        <label key={field.key} className="mini-field">
          <span>{field.label}</span>
          <input type="number" step={field.step} min={field.min} max={'max' in field ? field.max : undefined} value={overrides[field.key] ?? ''}
            onChange={(e) => onChange(withoutUndefined({ ...overrides, [field.key]: parseOptionalNumber(e.target.value) }))} />
        </label>
      ))}
      <label className="mini-field">
        <span>Reasoning effort</span>
        <select value={overrides.reasoningEffort ?? ''}
          onChange={(e) => onChange(withoutUndefined({ ...overrides, reasoningEffort: (e.target.value || undefined) as TargetOverrides['reasoningEffort'] }))}>
          <option value="">client's choice</option>
          {EFFORTS.map((effort) => <option key={effort} value={effort}>{effort}</option>)}
        </select>
      </label>
    </div>
  );
}
