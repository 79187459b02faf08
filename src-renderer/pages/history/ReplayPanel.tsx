import { useRef, useState } from 'react';
import type { HistoryDetail } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TokenPicker } from '../../components/TokenPicker';
import { useControlClient } from '../../hooks/control-context';
import { useControlQuery } from '../../hooks/use-control';
import { useSessionTokens } from '../../hooks/session-tokens';
import { buildReplay } from './replay-request';

/**
 * Replay: the captured request, editable, sent again through the gateway to the same route —
 * against the alias it named or any other. The answer is shown as the route returns it.
 */
export function ReplayPanel({ detail, initialBody }: { detail: HistoryDetail; initialBody: string }) {
  const client = useControlClient();
  const status = useControlQuery('getStatus');
  const aliases = useControlQuery('listAliases');
  const { tokens } = useSessionTokens();
  const [alias, setAlias] = useState('');
  const [body, setBody] = useState(initialBody);
  const [tokenId, setTokenId] = useState<string | null>(null);
  const [answer, setAnswer] = useState<{ status: number; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const origin = client.gatewayOrigin(status.data);
  const token = tokenId ? tokens.get(tokenId)?.token : undefined;

  const send = async () => {
    if (!origin || !token) return;
    setError(null);
    setAnswer(null);
    let request;
    try {
      request = buildReplay(detail, origin, body, alias, token);
    } catch (caught) {
      setError(caught);
      return;
    }
    abort.current = new AbortController();
    setRunning(true);
    try {
      const response = await client.gatewayFetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: abort.current.signal });
      let text = '';
      const decoder = new TextDecoder();
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          text += decoder.decode(chunk, { stream: true });
          setAnswer({ status: response.status, text });
        }
      }
      setAnswer({ status: response.status, text: text + decoder.decode() });
    } catch (caught) {
      if (!abort.current.signal.aborted) setError(caught);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="replay" aria-label="Replay">
      <div className="inline-form">
        <select aria-label="Replay against" value={alias} onChange={(event) => setAlias(event.target.value)}>
          <option value="">{`As sent (${detail.requestedModel ?? 'its model'})`}</option>
          {(aliases.data ?? []).map((item) => <option key={item.alias} value={item.alias}>{item.alias}</option>)}
        </select>
        <span className="muted small mono">POST {detail.endpoint}</span>
      </div>
      <TokenPicker suggestedName="replay" tokenId={tokenId} onChange={setTokenId} />
      <textarea aria-label="Request body" className="mono" rows={12} value={body} spellCheck={false} onChange={(event) => setBody(event.target.value)} />
      <div className="form-actions">
        {!origin ? <span className="muted small">Start the proxy first.</span> : !token ? <span className="muted small">Create or choose a client token to send.</span> : null}
        {running ? <button type="button" className="button" onClick={() => abort.current?.abort()}>Stop</button> : null}
        <button type="button" className="button primary" disabled={!origin || !token || running} onClick={() => void send()}>Send again</button>
      </div>
      <ErrorNotice error={error} />
      {answer ? (
        <details open>
          <summary>Answer · {answer.status}</summary>
          <pre className="body-text replay-answer" aria-live="polite" aria-busy={running}>{answer.text}</pre>
        </details>
      ) : null}
    </section>
  );
}
