import { useState, type DragEvent, type KeyboardEvent } from 'react';
import type { AliasTarget, DiscoveredModel, ProviderInfo } from '../../../src-proxy/control/contract.ts';
import { moveItem } from '../../lib/move-item';
import { TargetRow } from './TargetRow';

/**
 * The ordered fallback targets. Reorder by dragging a row's handle, or by keyboard: focus the
 * handle and press Alt+↑ / Alt+↓ (the ↑/↓ buttons do the same).
 */
export function TargetList({ targets, providers, models, onChange }: {
  targets: AliasTarget[];
  providers: ProviderInfo[];
  models: DiscoveredModel[];
  onChange: (targets: AliasTarget[]) => void;
}) {
  const [dragging, setDragging] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const move = (from: number, to: number) => {
    if (to < 0 || to >= targets.length || from === to) return;
    onChange(moveItem(targets, from, to));
    setAnnouncement(`Moved ${targets[from]?.provider}/${targets[from]?.model} to position ${to + 1} of ${targets.length}`);
    // Keep focus on the moved row's handle after React re-renders the list.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-target-handle="${to}"]`)?.focus());
  };
  const onHandleKey = (index: number) => (event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    move(index, event.key === 'ArrowUp' ? index - 1 : index + 1);
  };
  const dropOn = (index: number) => (event: DragEvent) => {
    event.preventDefault();
    if (dragging !== null) move(dragging, index);
    setDragging(null);
  };
  const firstProvider = providers[0]?.id ?? '';
  return (
    <fieldset className="targets">
      <legend>Targets, tried in order</legend>
      {targets.length === 0 ? <p className="muted small">Add at least one target: the provider and the model name it knows.</p> : null}
      <ol>
        {targets.map((target, index) => (
          <li key={index} className={`target ${dragging === index ? 'dragging' : ''}`}
            onDragOver={(event) => event.preventDefault()} onDrop={dropOn(index)}>
            <button type="button" className="drag-handle" draggable data-target-handle={index}
              aria-label={`Target ${index + 1}: ${target.provider}/${target.model}. Alt+Up or Alt+Down to move`}
              onDragStart={(event) => { setDragging(index); event.dataTransfer.effectAllowed = 'move'; event.dataTransfer.setData('text/plain', String(index)); }}
              onDragEnd={() => setDragging(null)} onKeyDown={onHandleKey(index)}>⋮⋮</button>
            <span className="target-rank">{index + 1}</span>
            <TargetRow target={target} providers={providers} models={models}
              onChange={(next) => onChange(targets.map((old, i) => (i === index ? next : old)))} />
            <div className="target-buttons">
              <button type="button" className="button small ghost" aria-label="Move up" disabled={index === 0} onClick={() => move(index, index - 1)}>↑</button>
              <button type="button" className="button small ghost" aria-label="Move down" disabled={index === targets.length - 1} onClick={() => move(index, index + 1)}>↓</button>
              <button type="button" className="button small ghost" aria-label="Remove target" onClick={() => onChange(targets.filter((_, i) => i !== index))}>✕</button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" className="button small" onClick={() => onChange([...targets, { provider: firstProvider, model: '' }])}>Add target</button>
      <div className="sr-only" aria-live="assertive">{announcement}</div>
    </fieldset>
  );
}
