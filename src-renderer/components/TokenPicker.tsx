import { useEffect, useState } from 'react';
import { useControlMutation, useControlQuery } from '../hooks/use-control';
import { useSessionTokens } from '../hooks/session-tokens';
import { ErrorNotice } from './ErrorNotice';

/**
 * Chooses the client token a snippet or test uses: one created in this session (its value is
 * known), or a new one created on the spot. Older tokens are listed by hint only — the core
 * cannot reveal them.
 */
export function TokenPicker({ suggestedName, tokenId, onChange }: { suggestedName: string; tokenId: string | null; onChange: (id: string | null) => void }) {
  const { tokens, remember } = useSessionTokens();
  const existing = useControlQuery('listClientTokens');
  const create = useControlMutation('createClientToken');
  const [name, setName] = useState(suggestedName);
  useEffect(() => setName(suggestedName), [suggestedName]);
  const older = (existing.data ?? []).filter((token) => token.revokedAt === null && !tokens.has(token.id));

  const createToken = () =>
    create.mutate({ name: name.trim() || suggestedName }, {
      onSuccess: (created) => {
        remember(created.id, created.name, created.token);
        onChange(created.id);
      },
    });

  return (
    <div className="token-picker">
      <div className="inline-form">
        <select aria-label="Client token" value={tokenId ?? ''} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{tokens.size === 0 ? 'No token yet' : 'Choose a token…'}</option>
          {[...tokens].map(([id, token]) => <option key={id} value={id}>{token.name}</option>)}
        </select>
        <span className="muted small">or</span>
        <input aria-label="New token name" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="button" className="button" onClick={createToken} disabled={create.isPending}>Create token</button>
      </div>
      {older.length > 0 ? (
        <p className="muted small">
          Existing tokens ({older.map((token) => `${token.name} ${token.hint}`).join(', ')}) cannot be shown again; create a new one or paste yours into the snippet.
        </p>
      ) : null}
      <ErrorNotice error={create.error} />
    </div>
  );
}
