import type { ProxyStatus } from '../../src-proxy/control/contract.ts';
import { useConnected } from '../hooks/use-connection';
import { NARROW_WINDOW_QUERY, useMediaQuery } from '../hooks/use-media-query';
import { PAGES, type PageName } from '../hooks/use-route';
import { SignedInAs } from './SignedInAs';
import { Tip } from './Tip';

const LABELS: Record<PageName, string> = {
  overview: 'Overview',
  providers: 'Providers',
  models: 'Models',
  clients: 'Clients',
  history: 'History',
  usage: 'Usage',
  logs: 'Logs',
  connect: 'Connect',
  settings: 'Settings',
};

const ICONS: Record<PageName, string> = {
  overview: 'M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z',
  providers: 'M4 5h16v4H4zm0 5h16v4H4zm0 5h16v4H4z',
  models: 'M12 2 2 7l10 5 10-5zm-10 10 10 5 10-5M2 17l10 5 10-5',
  clients: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 10v-1a6 6 0 0 1 12 0v1m2-10a3 3 0 1 0 0-6m6 16v-1a5 5 0 0 0-4-4.9',
  history: 'M12 8v5l4 2M3 12a9 9 0 1 0 3-6.7L3 8m0-5v5h5',
  usage: 'M4 20V10m6 10V4m6 16v-7m4 7H2',
  logs: 'M4 4h16v16H4zm3 4 3 3-3 3m5 0h5',
  connect: 'M9 7H7a5 5 0 0 0 0 10h2m6-10h2a5 5 0 0 1 0 10h-2m-7-5h8',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14.5 3h-5l-.4 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2l.4 2.6h5l.4-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z',
};

/** The page list and a one-glance proxy state. */
export function Sidebar({ page, onNavigate, status }: { page: PageName; onNavigate: (page: PageName) => void; status: ProxyStatus | undefined }) {
  const connected = useConnected();
  // While the dashboard cannot hear the core, the last state it heard ("stopping") would be a lie.
  const state = connected ? status?.state ?? 'stopped' : 'reconnecting';
  // Icons alone say little: when the labels are hidden, each link shows its name on hover and focus.
  const iconOnly = useMediaQuery(NARROW_WINDOW_QUERY);
  const stateText = connected ? `Proxy ${state}${status?.port && state === 'running' ? ` · :${status.port}` : ''}` : 'Reconnecting to Switchboard…';
  return (
    <nav className="sidebar" aria-label="Pages">
      <a className="skip-link" href="#main">Skip to content</a>
      <div className="brand">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M4 7h10m0 0-3-3m3 3-3 3M20 17H10m0 0 3-3m-3 3 3 3" /></svg>
        <span>Switchboard</span>
      </div>
      <ul>
        {PAGES.map((name) => (
          <li key={name}>
            <Tip label={LABELS[name]} side="right" disabled={!iconOnly}>
              <a href={`#/${name}`} aria-current={page === name ? 'page' : undefined}
                onClick={(event) => { event.preventDefault(); onNavigate(name); }}>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d={ICONS[name]} /></svg>
                {LABELS[name]}
              </a>
            </Tip>
          </li>
        ))}
      </ul>
      <Tip label={stateText} side="right" disabled={!iconOnly}>
        <div className="sidebar-status" role="status" aria-label={stateText} tabIndex={iconOnly ? 0 : undefined}>
          <span className={`dot dot-${state}`} aria-hidden="true" />
          <span>{stateText}</span>
        </div>
      </Tip>
      <SignedInAs />
    </nav>
  );
}
