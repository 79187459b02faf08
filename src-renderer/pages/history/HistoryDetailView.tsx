import type { HistoryDetail } from '../../../src-proxy/control/contract.ts';
import { CopyButton } from '../../components/CopyButton';
import { StatusPill } from '../../components/StatusPill';
import { formatInteger, formatMs, formatUsd } from '../../lib/format';
import { toCurl } from './curl';
import { useState } from 'react';
import { ReplayPanel } from './ReplayPanel';
import { TranslationView } from './TranslationView';
import { replayableBody } from './replay-request';

const CACHE_WORDS: Record<NonNullable<HistoryDetail['cache']>, string> = {
  hit: 'Answered from the response cache: no provider call, nothing billed.',
  miss: 'Not in the response cache: asked the provider and kept the answer.',
  refresh: 'The client asked for a fresh answer (refresh): asked the provider and replaced the kept one.',
  bypass: 'The client asked to bypass the response cache: neither read nor written.',
};

/** One request: timing, tokens, the attempt trail, the translation view of its bodies, replay and copy as curl. */
export function HistoryDetailView({ detail, origin }: { detail: HistoryDetail; origin: string }) {
  const bodies = detail.bodies;
  const replayBody = replayableBody(detail);
  const [replaying, setReplaying] = useState(false);
  return (
    <div className="detail">
      <dl className="facts">
        <div><dt>Status</dt><dd><StatusPill status={detail.status} errorCode={detail.errorCode} /> {detail.errorCode ? <code>{detail.errorCode}</code> : null}</dd></div>
        <div><dt>Started</dt><dd>{new Date(detail.startedAt).toLocaleString()}</dd></div>
        <div><dt>Client</dt><dd>{detail.client}{detail.clientAddress ? <span className="muted"> from <span className="mono">{detail.clientAddress}</span></span> : null}</dd></div>
        <div><dt>Endpoint</dt><dd className="mono">{detail.dialect} · {detail.endpoint}{detail.stream ? ' · stream' : ''}</dd></div>
        <div><dt>Model</dt><dd className="mono">{detail.requestedModel ?? '–'} → {detail.provider ?? '–'}/{detail.upstreamModel ?? '–'}</dd></div>
        <div><dt>Timing</dt><dd>total {formatMs(detail.durationMs)} · first token {formatMs(detail.ttftMs)}</dd></div>
        <div><dt>Estimated cost</dt><dd>{detail.cache === 'hit' ? '$0 (answered from the cache)' : detail.costUsd === null || detail.costUsd === undefined ? 'no price for this model' : formatUsd(detail.costUsd)}</dd></div>
        {detail.cache ? <div><dt>Cache</dt><dd>{CACHE_WORDS[detail.cache]}</dd></div> : null}
        {detail.sessionId ? <div><dt>Session</dt><dd className="mono">{detail.sessionId}</dd></div> : null}
        {detail.routeRule ? <div><dt>Rule</dt><dd className="mono">{detail.routeRule}</dd></div> : null}
        {detail.commands?.length ? <div><dt>Commands</dt><dd className="mono">{detail.commands.join(' ')}</dd></div> : null}
        {detail.loop ? (
          <div className="loop-fact"><dt>Loop</dt><dd>
            {detail.loop.kind === 'text' ? 'Text' : 'Tool-call'} loop, {detail.loop.count}× — {detail.loop.action === 'blocked' ? 'stopped' : detail.loop.action === 'warned' ? 'recorded only' : 'let through once with a warning'}: <code>{detail.loop.what}</code>
          </dd></div>
        ) : null}
        <div><dt>{detail.cache === 'hit' ? 'Tokens saved' : 'Tokens'}</dt><dd>
          in {formatInteger(detail.inputTokens)} · out {formatInteger(detail.outputTokens)}
          {detail.cacheReadTokens ? ` · cache read ${formatInteger(detail.cacheReadTokens)}` : ''}
          {detail.cacheWriteTokens ? ` · cache write ${formatInteger(detail.cacheWriteTokens)}` : ''}
          {detail.estimated ? ' (estimated)' : ''}
        </dd></div>
      </dl>
      {detail.errorMessage ? <p className="notice notice-error"><code className="error-code">{detail.errorCode ?? 'error'}</code> {detail.errorMessage}</p> : null}
      {detail.notes.length > 0 ? (
        <section aria-label="What Switchboard changed">
          <h3>What Switchboard changed</h3>
          <ul className="notice notice-warn history-notes">
            {detail.notes.map((note) => <li key={note}>{note}</li>)}
          </ul>
        </section>
      ) : null}
      <h3>Attempts</h3>
      {detail.attempts.length === 0 ? (
        <p className="muted small">
          {detail.cache === 'hit' ? 'None: the answer came from the response cache.' : detail.status === 401 || detail.status === 403
            ? 'Refused by Switchboard before routing: no provider was asked.'
            : 'No upstream attempt (answered by Switchboard itself).'}
        </p>
      ) : (
        <ol className="attempts">
          {detail.attempts.map((attempt, index) => (
            <li key={index}>
              <span className="mono">{attempt.provider}/{attempt.model}</span>
              {attempt.keyLabel ? <span className="muted"> key {attempt.keyLabel}</span> : null}
              {attempt.proxy ? <span className="muted attempt-proxy"> via {attempt.proxy}</span> : null}
              {attempt.protocol ? <span className="muted attempt-protocol"> over {attempt.protocol === 'h2' ? 'HTTP/2' : 'HTTP/1.1'}</span> : null}
              <span> {attempt.status ?? 'no answer'}</span>
              {attempt.errorCode ? <code className="error-code">{attempt.errorCode}</code> : null}
              <span className="muted"> {formatMs(attempt.durationMs)}</span>
            </li>
          ))}
        </ol>
      )}
      <div className="row-between">
        <h3>Request</h3>
        <div className="inline-form">
          {replayBody !== null ? (
            <button type="button" className="button small" aria-expanded={replaying} onClick={() => setReplaying(!replaying)}>{replaying ? 'Close replay' : 'Replay…'}</button>
          ) : null}
          <CopyButton text={toCurl(detail, origin)} label="Copy as curl" className="button small" />
        </div>
      </div>
      {replaying && replayBody !== null ? <ReplayPanel detail={detail} initialBody={replayBody} /> : null}
      {!bodies ? <p className="muted small">The copy has the address only: this request's body and headers were not captured.</p> : null}
      {bodies ? <TranslationView detail={detail} /> : (
        <p className="muted small">Bodies were not captured for this request. Turn on body capture in <a href="#/settings">Settings</a> to keep them.</p>
      )}
    </div>
  );
}

