import type { HistoryDetail } from '../../../src-proxy/control/contract.ts';
import { CopyButton } from '../../components/CopyButton';
import { legsOf, prettyBody, type Comparison, type Leg } from './translation';

const MARKS: Record<Leg['key'], { same: string; changed: string }> = {
  'client-request': { same: '', changed: '' },
  'upstream-request': { same: 'Same as the client sent', changed: 'As the client sent it, except' },
  'upstream-response': { same: '', changed: '' },
  'client-response': { same: 'Same as the provider answered', changed: 'As the provider answered, except' },
};

function noUpstreamWords(detail: HistoryDetail): string {
  if (detail.cache === 'hit') return 'No upstream call: answered from the response cache.';
  if (detail.attempts.length === 0) return 'No upstream call: answered by Switchboard itself.';
  return 'Nothing came back from the provider.';
}

/**
 * What translation did to one captured request, side by side: the client's request and what went
 * upstream, then the provider's answer and what the client got — headers redacted, JSON
 * pretty-printed, each pane copyable, and a plain marker where a leg was passed on unchanged.
 */
export function TranslationView({ detail }: { detail: HistoryDetail }) {
  const legs = legsOf(detail);
  if (!legs) return null;
  const upstream = detail.bodies?.upstream;
  return (
    <section className="translation" aria-label="Translation">
      <h3>Translation</h3>
      {upstream ? <p className="muted small mono translation-url">{upstream.url}</p> : null}
      <div className="translation-grid">
        {legs.map((leg) => <LegPane key={leg.key} leg={leg} empty={leg.key.startsWith('upstream') ? noUpstreamWords(detail) : 'Not captured.'} />)}
      </div>
    </section>
  );
}

function Marker({ leg, comparison }: { leg: Leg; comparison: Comparison | null }) {
  if (!comparison || comparison.kind === 'different') return null;
  if (comparison.kind === 'same') return <span className="same-marker">{MARKS[leg.key].same}</span>;
  return <span className="same-marker">{MARKS[leg.key].changed} <code>{comparison.fields.join(', ')}</code></span>;
}

function LegPane({ leg, empty }: { leg: Leg; empty: string }) {
  const text = prettyBody(leg.body);
  const headers = leg.headers ? Object.entries(leg.headers) : [];
  return (
    <article className="leg" data-leg={leg.key} aria-label={leg.title}>
      <header className="leg-head">
        <h4>{leg.title}{leg.status !== null ? <span className="muted"> · {leg.status}</span> : null}</h4>
        {text !== null ? <CopyButton text={text} label="Copy" className="button small" /> : null}
      </header>
      <Marker leg={leg} comparison={leg.comparison} />
      {headers.length > 0 ? (
        <details className="leg-headers">
          <summary>Headers ({headers.length})</summary>
          <pre className="code leg-header-text">{headers.map(([name, value]) => `${name}: ${value}`).join('\n')}</pre>
        </details>
      ) : null}
      {text !== null ? <pre className="body-text leg-body">{text}</pre> : <p className="muted small">{empty}</p>}
    </article>
  );
}
