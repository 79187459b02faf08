import { useState } from 'react';
import { runChecks, type CheckResult } from './run-checks';
import type { ToolGuide } from './tools';
import { useControlClient } from '../../hooks/control-context';

/** Replays the tool's start-up calls against the gateway and lists what it would see. */
export function ToolCheck({ tool, origin, token, model }: { tool: ToolGuide; origin: string; token: string | null; model: string }) {
  const client = useControlClient();
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    try {
      setResults(await runChecks(tool.checks, { origin, token, model, fetch: client.gatewayFetch }));
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="check">
      <div className="row-between">
        <h3>Check</h3>
        <button type="button" className="button" onClick={() => void run()} disabled={running}>{running ? 'Checking…' : `Check as ${tool.name}`}</button>
      </div>
      <p className="muted small">Calls {tool.checks.map((step) => `${step.method} ${step.path}`).join(' → ')}{tool.usesToken ? ' with the chosen token' : ''}.</p>
      {results ? (
        <ol className="check-results" aria-live="polite">
          {results.map((result, index) => (
            <li key={index} className={result.ok ? 'ok' : 'bad'}>
              <span aria-hidden="true">{result.ok ? '✓' : '✕'}</span>
              <span className="mono">{result.step.method} {result.step.path}</span>
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
