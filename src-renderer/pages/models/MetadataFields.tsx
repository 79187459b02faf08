import type { Capability, ModelMetadata } from '../../../src-proxy/control/contract.ts';
import { parseOptionalNumber, withoutUndefined } from './number-input';

/** Checked against the contract's Capability type, so a renamed capability fails the typecheck. */
const CAPABILITY_OPTIONS = ['completion', 'tools', 'vision', 'thinking', 'embedding', 'insert'] as const satisfies readonly Capability[];

/** What the alias reports to clients that ask (Ollama /api/show, model lists). */
export function MetadataFields({ metadata, onChange }: { metadata: ModelMetadata; onChange: (metadata: ModelMetadata) => void }) {
  const capabilities = metadata.capabilities ?? [];
  const toggle = (capability: Capability) => {
    const next = capabilities.includes(capability) ? capabilities.filter((c) => c !== capability) : [...capabilities, capability];
    onChange(withoutUndefined({ ...metadata, capabilities: next.length ? next : undefined }));
  };
  return (
    <fieldset className="metadata">
      <legend>Metadata shown to clients</legend>
      <div className="overrides">
        <label className="mini-field">
          <span>Context window</span>
          <input type="number" min={1} value={metadata.contextWindow ?? ''} onChange={(e) => onChange(withoutUndefined({ ...metadata, contextWindow: parseOptionalNumber(e.target.value) }))} />
        </label>
        <label className="mini-field">
          <span>Max output tokens</span>
          <input type="number" min={1} value={metadata.maxOutputTokens ?? ''} onChange={(e) => onChange(withoutUndefined({ ...metadata, maxOutputTokens: parseOptionalNumber(e.target.value) }))} />
        </label>
      </div>
      <div className="checks" role="group" aria-label="Capabilities">
        {CAPABILITY_OPTIONS.map((capability) => (
          <label key={capability} className="check-label">
            <input type="checkbox" checked={capabilities.includes(capability)} onChange={() => toggle(capability)} /> {capability}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
