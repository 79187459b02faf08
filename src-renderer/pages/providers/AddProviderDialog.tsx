import { useState } from 'react';
import { Sheet } from '../../components/Sheet';
import { Loading } from '../../components/Loading';
import { useControlQuery } from '../../hooks/use-control';
import { ProviderForm } from './ProviderForm';
import { presetsOf, type KindPreset } from './presets';

/** Step 1: choose a preset (every provider kind lists its own); step 2: the form with its base URL filled in. */
export function AddProviderDialog({ taken, onClose }: { taken: string[]; onClose: () => void }) {
  const [preset, setPreset] = useState<KindPreset | null>(null);
  const kinds = useControlQuery('listProviderKinds');
  return (
    <Sheet title={preset ? `Add ${preset.name}` : 'Add a provider'} onClose={onClose}>
      {preset ? (
        <ProviderForm preset={preset} taken={taken} onDone={onClose} onBack={() => setPreset(null)} />
      ) : !kinds.data ? (
        <Loading />
      ) : (
        <ul className="preset-grid">
          {presetsOf(kinds.data).map((candidate) => (
            <li key={`${candidate.kind.kind}/${candidate.id}`}>
              <button type="button" className="preset" onClick={() => setPreset(candidate)}>
                <strong>{candidate.name}</strong>
                <span className="muted small">{candidate.kind.label}</span>
                <span className="muted small mono ellipsis">{candidate.baseUrl}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Sheet>
  );
}
