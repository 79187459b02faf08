import type { ProviderInfo } from '../../../src-proxy/control/contract.ts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Switch } from '../../components/Switch';
import { useControlMutation } from '../../hooks/use-control';

/** What a provider's calls speak, in one line (HTTP/2 is chosen per connection by the server's TLS, so only https can have it). */
export function describeProtocol(provider: Pick<ProviderInfo, 'http2' | 'baseUrl'>): string {
  if (!provider.http2) return 'HTTP/1.1';
  if (!provider.baseUrl.startsWith('https:')) return 'HTTP/1.1 (HTTP/2 needs an https address)';
  return 'HTTP/2 when the provider offers it, else HTTP/1.1';
}

/**
 * A provider's HTTP/2 switch: on, its calls share one multiplexed connection when its server
 * offers h2. Off by default (README, Performance: what it costs locally and buys remotely).
 */
export function ProviderProtocol({ provider }: { provider: ProviderInfo }) {
  const update = useControlMutation('updateProvider');
  return (
    <div className="provider-protocol">
      <div className="fact">
        <span className="muted">Protocol:</span>
        <span data-testid={`protocol-of-${provider.id}`}>{describeProtocol(provider)}</span>
        <Switch label={`HTTP/2 for ${provider.name}`} hideLabel checked={provider.http2} disabled={update.isPending}
          onChange={(http2) => update.mutate({ id: provider.id, http2 })} />
      </div>
      <ErrorNotice error={update.error} />
    </div>
  );
}
