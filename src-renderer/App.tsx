import { tabSignedOut, toControlError } from './api';
import { Sidebar } from './components/Sidebar';
import { useControlQuery } from './hooks/use-control';
import { useLiveEvents } from './hooks/use-live-events';
import { useRoute, type PageName } from './hooks/use-route';
import { useTheme } from './hooks/use-theme';
import { ClientsPage } from './pages/clients/ClientsPage';
import { ConnectPage } from './pages/connect/ConnectPage';
import { HistoryPage } from './pages/history/HistoryPage';
import { ModelsPage } from './pages/models/ModelsPage';
import { OverviewPage } from './pages/overview/OverviewPage';
import { ProvidersPage } from './pages/providers/ProvidersPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { UsagePage } from './pages/usage/UsagePage';
import { LogsPage } from './pages/logs/LogsPage';
import { AdminTokenMissing } from './components/AdminTokenMissing';
import { DesktopNotices } from './components/DesktopNotices';
import { BudgetBanner } from './components/BudgetBanner';
import { SessionTokensProvider } from './hooks/session-tokens';
import { TipProvider } from './components/Tip';

const PAGE_COMPONENTS: Record<PageName, () => React.JSX.Element> = {
  overview: OverviewPage,
  providers: ProvidersPage,
  models: ModelsPage,
  clients: ClientsPage,
  history: HistoryPage,
  usage: UsagePage,
  logs: LogsPage,
  connect: ConnectPage,
  settings: SettingsPage,
};

/** The shell: navigation, theme, live events and the current page. */
export function App() {
  const [route, navigate] = useRoute();
  const settings = useControlQuery('getSettings');
  const status = useControlQuery('getStatus', undefined, { refetchInterval: 30_000 });
  useTheme(settings.data?.theme);
  useLiveEvents();

  if (status.error && toControlError(status.error).code === 'invalid_admin_token') return <AdminTokenMissing signedOut={tabSignedOut()} />;
  const Page = PAGE_COMPONENTS[route.page];
  return (
    <SessionTokensProvider>
      <TipProvider>
        <div className="shell">
          <Sidebar page={route.page} onNavigate={(page) => navigate(page)} status={status.data} />
          <main className="content" id="main" tabIndex={-1}>
            <DesktopNotices />
            <BudgetBanner />
            <Page />
          </main>
        </div>
      </TipProvider>
    </SessionTokensProvider>
  );
}
