import { CopyButton } from '../../components/CopyButton';
import { Panel } from '../../components/Panel';
import { useControlQuery } from '../../hooks/use-control';

const LABELS = { openai: 'OpenAI', anthropic: 'Anthropic', ollama: 'Ollama' } as const;

/** The base URLs to give tools, each with a copy button. */
export function EndpointsPanel() {
  const status = useControlQuery('getStatus');
  const endpoints = status.data?.endpoints;
  return (
    <Panel title="Endpoints">
      {endpoints ? (
        <dl className="endpoint-list">
          {(Object.keys(LABELS) as Array<keyof typeof LABELS>).map((name) => (
            <div key={name} className="endpoint">
              <dt>{LABELS[name]}</dt>
              <dd><code>{endpoints[name]}</code></dd>
              <dd><CopyButton text={endpoints[name]} className="button small" /></dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">Start the proxy to get the addresses your tools connect to.</p>
      )}
    </Panel>
  );
}
