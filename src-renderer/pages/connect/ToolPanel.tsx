import { useState } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { Panel } from '../../components/Panel';
import { TokenPicker } from '../../components/TokenPicker';
import { useControlClient } from '../../hooks/control-context';
import { useSessionTokens } from '../../hooks/session-tokens';
import { useControlQuery } from '../../hooks/use-control';
import { ToolCheck } from './ToolCheck';
import type { ToolGuide } from './tools';

const TOKEN_PLACEHOLDER = '<client token>';
/** Names that suggest a small, fast model: the default for a tool's background calls. */
const SMALL_HINT = /haiku|mini|flash|fast|small|nano|lite/i;

export function ToolPanel({ tool }: { tool: ToolGuide }) {
  const status = useControlQuery('getStatus');
  const aliases = useControlQuery('listAliases');
  const { tokens } = useSessionTokens();
  const [tokenId, setTokenId] = useState<string | null>(null);
  const [model, setModel] = useState<string | null>(null);
  const [smallModel, setSmallModel] = useState<string | null>(null);
  const origin = useControlClient().gatewayOrigin(status.data) ?? `http://127.0.0.1:${status.data?.port ?? 11434}`;
  // A wildcard alias is a pattern, not a name a tool can be given.
  const names = (aliases.data ?? []).filter((alias) => alias.exposed && !alias.alias.includes('*')).map((alias) => alias.alias);
  const chosenModel = model ?? names[0] ?? 'your-model';
  const chosenSmall = smallModel ?? names.find((name) => SMALL_HINT.test(name)) ?? chosenModel;
  const token = tokenId ? tokens.get(tokenId)?.token ?? null : null;
  const snippet = tool.snippet({ origin, token: token ?? TOKEN_PLACEHOLDER, model: chosenModel, smallModel: chosenSmall });
  const options = (
    <>
      {names.length === 0 ? <option value="your-model">your-model (create an alias first)</option> : null}
      {names.map((name) => <option key={name} value={name}>{name}</option>)}
    </>
  );
  return (
    <Panel title={tool.name} className="tool-panel">
      <p className="muted">{tool.where}</p>
      {tool.note ? <p className="notice">{tool.note}</p> : null}
      <div className="inline-form">
        <label className="mini-field">
          <span>Model</span>
          <select value={chosenModel} onChange={(e) => setModel(e.target.value)}>{options}</select>
        </label>
        {tool.usesSmallModel ? (
          <label className="mini-field">
            <span>Background model (haiku slot)</span>
            <select value={chosenSmall} onChange={(e) => setSmallModel(e.target.value)}>{options}</select>
          </label>
        ) : null}
      </div>
      {tool.usesToken ? <TokenPicker suggestedName={tool.name} tokenId={tokenId} onChange={setTokenId} /> : null}
      <div className="snippet">
        <pre className={`code lang-${tool.language}`} aria-label={`${tool.name} settings`}>{snippet}</pre>
        <CopyButton text={snippet} className="button small snippet-copy" />
      </div>
      {tool.usesToken && !token ? <p className="muted small">The snippet shows {TOKEN_PLACEHOLDER}: create a token for {tool.name} above (shown once, kept in this window only) or paste one you saved.</p> : null}
      <ToolCheck tool={tool} origin={origin} token={token} model={chosenModel} smallModel={chosenSmall} />
    </Panel>
  );
}
