import { useState } from 'react';
import { useControlClient } from '../../hooks/control-context';
import { runChecks, type CheckResult } from './run-checks';
import type { ToolGuide } from './tools';

/** Replays the tool's start-up calls against the gateway and lists what it would see. */
export function ToolCheck({ tool, origin, token, model, smallModel }: { tool: ToolGuide; origin: string; token: string | null; model: string; smallModel: string }) {
  const client = useControlClient();
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [running, setRunning] = useState(false);
  // Without a token every call would answer 401: that checks nothing the user can act on.
  const missingToken = tool.usesToken && !token;
  const run = async () => {
    if (missingToken) return;
    setRunning(true);
    try {
      setResults(await runChecks(tool.checks, { origin, token, model, smallModel, fetch: client.gatewayFetch }));
    } finally {
      setRunning(false);
    }
  };
  const steps = [...new Set(tool.checks.map((step) => `${step.method} ${step.path}`))];
  return (
    <div className="check">
      <div className="row-between">
        <h3>Check</h3>
        <button type="button" className="button" onClick={() => void run()} disabled={running || missingToken} aria-describedby={missingToken ? `${tool.id}-needs-token` : undefined}>
          {running ? 'Checking…' : `Check as ${tool.name}`}
        </button>
      </div>
      <p className="muted small">
        Calls {steps.join(' → ')}{tool.usesSmallModel ? ` (for ${model} and for the background model ${smallModel})` : ''}{tool.usesToken ? ' with the chosen token' : ''}.
      </p>
      {missingToken ? <p id={`${tool.id}-needs-token`} className="muted small">Choose or create a client token above to run the check.</p> : null}
      {results ? (
        <ol className="check-results" aria-live="polite">
          {results.map((result, index) => (
            <li key={index} className={result.ok ? 'ok' : 'bad'}>
              <span aria-hidden="true">{result.ok ? '✓' : '✕'}</span>
              <span className="mono">{result.title}</span>
              <span className="mono">{result.status ?? '—'}</span>
              <span>{result.summary}</span>
              {result.body ? (
                <details><summary>Body</summary><pre className="body-text">{result.body}</pre></details>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
