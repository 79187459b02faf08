import { useState } from 'react';
import { Sheet } from '../../components/Sheet';
import { Loading } from '../../components/Loading';
import { useControlQuery } from '../../hooks/use-control';
import { ProviderForm } from './ProviderForm';
import { PresetPicker } from './PresetPicker';
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
        <PresetPicker presets={presetsOf(kinds.data)} onPick={setPreset} />
      )}
    </Sheet>
  );
}
