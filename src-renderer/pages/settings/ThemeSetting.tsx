import type { Settings } from '../../../src-proxy/control/contract.ts';

const THEMES: Array<{ value: Settings['theme']; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function ThemeSetting({ value, onChange }: { value: Settings['theme']; onChange: (theme: Settings['theme']) => void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {THEMES.map((theme) => (
        <button key={theme.value} type="button" role="radio" aria-checked={value === theme.value} onClick={() => onChange(theme.value)}>{theme.label}</button>
      ))}
    </div>
  );
}
