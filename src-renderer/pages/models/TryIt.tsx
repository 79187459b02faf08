import { useRef, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { TokenPicker } from '../../components/TokenPicker';
import { useControlClient } from '../../hooks/control-context';
import { useControlQuery } from '../../hooks/use-control';
import { useSessionTokens } from '../../hooks/session-tokens';
import { streamChat } from '../../lib/stream-chat';

/** Sends a prompt through the gateway's own OpenAI route and streams the answer (as text). */
export function TryIt() {
  const aliases = useControlQuery('listAliases');
  const status = useControlQuery('getStatus');
  const { tokens } = useSessionTokens();
  const [model, setModel] = useState('');
  const [prompt, setPrompt] = useState('Say hello in five words.');
  const [tokenId, setTokenId] = useState<string | null>(null);
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const client = useControlClient();
  const origin = client.gatewayOrigin(status.data);
  const token = tokenId ? tokens.get(tokenId)?.token : undefined;
  const chosenModel = model || aliases.data?.[0]?.alias || '';

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!origin || !token) return;
    abort.current = new AbortController();
    setAnswer('');
    setError(null);
    setRunning(true);
    try {
      await streamChat({ origin, clientToken: token, model: chosenModel, prompt, signal: abort.current.signal, onDelta: (text) => setAnswer((old) => old + text), fetch: client.gatewayFetch });
    } catch (caught) {
      if (!abort.current.signal.aborted) setError(caught);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Panel title="Try it">
      <form className="form" onSubmit={(event) => void send(event)}>
        <div className="inline-form">
          <select aria-label="Model to try" value={chosenModel} onChange={(e) => setModel(e.target.value)}>
            {(aliases.data ?? []).map((alias) => <option key={alias.alias} value={alias.alias}>{alias.alias}</option>)}
          </select>
          <input aria-label="Or type any model name" className="mono" placeholder="or provider/model" value={model} onChange={(e) => setModel(e.target.value)} />
        </div>
        <TokenPicker suggestedName="try-it" tokenId={tokenId} onChange={setTokenId} />
        <textarea aria-label="Prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <div className="form-actions">
          {!origin ? <span className="muted small">Start the proxy first.</span> : !token ? <span className="muted small">Create or choose a client token to send.</span> : null}
          {running ? <button type="button" className="button" onClick={() => abort.current?.abort()}>Stop</button> : null}
          <button type="submit" className="button primary" disabled={!origin || !token || !chosenModel || running}>Send</button>
        </div>
      </form>
      <ErrorNotice error={error} />
      {answer || running ? <pre className="answer" aria-live="polite" aria-busy={running}>{answer}{running ? '▍' : ''}</pre> : null}
    </Panel>
  );
}
