/** An on/off control that screen readers announce as a switch; Space and Enter toggle it. */
export function Switch({ checked, onChange, label, disabled = false, hideLabel = false }: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  disabled?: boolean;
  hideLabel?: boolean;
}) {
  return (
    <button type="button" role="switch" aria-checked={checked} aria-label={hideLabel ? label : undefined} disabled={disabled}
      className="switch" onClick={() => onChange(!checked)}>
      <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
      {hideLabel ? null : <span className="switch-label">{label}</span>}
    </button>
  );
}
