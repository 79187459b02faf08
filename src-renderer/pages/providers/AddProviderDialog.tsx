import { useState } from 'react';
import { Sheet } from '../../components/Sheet';
import { ProviderForm } from './ProviderForm';
import { KIND_LABELS, PROVIDER_PRESETS, type ProviderPreset } from './presets';

/** Step 1: choose a preset; step 2: the form with its base URL filled in. */
export function AddProviderDialog({ taken, onClose }: { taken: string[]; onClose: () => void }) {
  const [preset, setPreset] = useState<ProviderPreset | null>(null);
  return (
    <Sheet title={preset ? `Add ${preset.name}` : 'Add a provider'} onClose={onClose}>
      {preset ? (
        <ProviderForm preset={preset} taken={taken} onDone={onClose} onBack={() => setPreset(null)} />
      ) : (
        <ul className="preset-grid">
          {PROVIDER_PRESETS.map((candidate) => (
            <li key={candidate.id}>
              <button type="button" className="preset" onClick={() => setPreset(candidate)}>
                <strong>{candidate.name}</strong>
                <span className="muted small">{KIND_LABELS[candidate.kind]}</span>
                <span className="muted small mono ellipsis">{candidate.baseUrl}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Sheet>
  );
}
