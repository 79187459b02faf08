import { connectivityLine, type RoutingHealth } from '../../../src-proxy/domain/routing-health.ts';
import { formatRelative } from '../../lib/format';

/**
 * "Offline — using local models", or which providers are skipped: circuits the engine opened
 * because a provider could not be reached. Nothing while every provider answers.
 */
export function ConnectivityNotice({ routing }: { routing: RoutingHealth | undefined }) {
  const line = connectivityLine(routing);
  if (!routing || !line) return null;
  return (
    <div className={`notice ${routing.offline && !routing.usingLocal ? 'notice-error' : 'notice-warn'}`} role="status" aria-label="Connectivity">
      <strong>{line.charAt(0).toUpperCase() + line.slice(1)}</strong>
      <ul className="connectivity-list small">
        {routing.circuits.map((circuit) => (
          <li key={circuit.provider}>
            <code>{circuit.provider}</code> skipped since {formatRelative(circuit.since)} — {circuit.state === 'half_open' ? 'probing now' : `next probe ${formatRelative(circuit.probeAt)}`}
            <span className="muted"> ({circuit.reason})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
