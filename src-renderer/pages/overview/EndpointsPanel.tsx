// From the domain module itself: importing a value from contract.ts would bundle zod (its schemas) into the dashboard.
import { endpointUrl } from '../../../src-proxy/domain/endpoints.ts';
import { CopyButton } from '../../components/CopyButton';
import { Panel } from '../../components/Panel';
import { useControlQuery } from '../../hooks/use-control';

/** The base URLs to give tools (one per front door the engine serves), each with a copy button. */
export function EndpointsPanel() {
  const status = useControlQuery('getStatus');
  const baseUrl = status.data?.baseUrl;
  return (
    <Panel title="Endpoints">
      {baseUrl && status.data ? (
        <dl className="endpoint-list">
          {status.data.endpoints.map((endpoint) => {
            const url = endpointUrl(baseUrl, endpoint);
            return (
              <div key={endpoint.label} className="endpoint">
                <dt>{endpoint.label}</dt>
                <dd><code>{url}</code></dd>
                <dd><CopyButton text={url} className="button small" /></dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <p className="muted">Start the proxy to get the addresses your tools connect to.</p>
      )}
    </Panel>
  );
}
