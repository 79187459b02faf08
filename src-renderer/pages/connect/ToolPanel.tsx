import { useState } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { Panel } from '../../components/Panel';
import { TokenPicker } from '../../components/TokenPicker';
import { useControlClient } from '../../hooks/control-context';
import { useControlQuery } from '../../hooks/use-control';
import { useSessionTokens } from '../../hooks/session-tokens';
import { ToolCheck } from './ToolCheck';
import type { ToolGuide } from './tools';

const TOKEN_PLACEHOLDER = '<client token>';

export function ToolPanel({ tool }: { tool: ToolGuide }) {
  const status = useControlQuery('getStatus');
  const aliases = useControlQuery('listAliases');
  const { tokens } = useSessionTokens();
  const [tokenId, setTokenId] = useState<string | null>(null);
  const [model, setModel] = useState<string | null>(null);
  const origin = useControlClient().gatewayOrigin(status.data) ?? `http://127.0.0.1:${status.data?.port ?? 11434}`;
  const exposed = (aliases.data ?? []).filter((alias) => alias.exposed);
  const chosenModel = model ?? exposed[0]?.alias ?? 'your-model';
  const token = tokenId ? tokens.get(tokenId)?.token ?? null : null;
  const snippet = tool.snippet({ origin, token: token ?? TOKEN_PLACEHOLDER, model: chosenModel });
  return (
    <Panel title={tool.name} className="tool-panel">
      <p className="muted">{tool.where}</p>
      {tool.note ? <p className="notice">{tool.note}</p> : null}
      <div className="inline-form">
        <label className="mini-field">
          <span>Model</span>
          <select value={chosenModel} onChange={(e) => setModel(e.target.value)}>
            {exposed.length === 0 ? <option value="your-model">your-model (create an alias first)</option> : null}
            {exposed.map((alias) => <option key={alias.alias} value={alias.alias}>{alias.alias}</option>)}
          </select>
        </label>
      </div>
      {tool.usesToken ? <TokenPicker suggestedName={tool.name} tokenId={tokenId} onChange={setTokenId} /> : null}
      <div className="snippet">
        <pre className={`code lang-${tool.language}`} aria-label={`${tool.name} settings`}>{snippet}</pre>
        <CopyButton text={snippet} className="button small snippet-copy" />
      </div>
      {tool.usesToken && !token ? <p className="muted small">The snippet shows {TOKEN_PLACEHOLDER}: create a token for {tool.name} above (shown once, kept in this window only) or paste one you saved.</p> : null}
      <ToolCheck tool={tool} origin={origin} token={token} model={chosenModel} />
    </Panel>
  );
}
