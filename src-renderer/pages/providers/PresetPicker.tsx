import { useState } from 'react';
import { presetGroups, type KindPreset } from './presets';

/** Step 1 of adding a provider: every kind's presets, grouped, with a search box on top. */
export function PresetPicker({ presets, onPick }: { presets: readonly KindPreset[]; onPick: (preset: KindPreset) => void }) {
  const [query, setQuery] = useState('');
  const sections = presetGroups(presets, query);
  return (
    <div className="preset-picker">
      <input type="search" className="preset-search" placeholder="Search services (name, id or URL)" aria-label="Search services" value={query} onChange={(event) => setQuery(event.target.value)} />
      {sections.length === 0 ? <p className="muted">No service matches “{query}”. Choose Custom (OpenAI-compatible) for any other server.</p> : null}
      {sections.map((section) => (
        <section key={section.group} aria-label={section.title}>
          <h3 className="preset-group">{section.title}</h3>
          <ul className="preset-grid">
            {section.presets.map((candidate) => (
              <li key={`${candidate.kind.kind}/${candidate.id}`}>
                <button type="button" className="preset" onClick={() => onPick(candidate)}>
                  <strong>{candidate.name}</strong>
                  <span className="muted small">{candidate.kind.label}</span>
                  <span className="muted small mono ellipsis">{candidate.baseUrl}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
