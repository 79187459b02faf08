import { PageHeader } from '../../components/PageHeader';
import { EndpointsPanel } from './EndpointsPanel';
import { GettingStarted } from './GettingStarted';
import { LiveFeed } from './LiveFeed';
import { ProxyPanel } from './ProxyPanel';
import { TodayStats } from './TodayStats';

export function OverviewPage() {
  return (
    <>
      <PageHeader title="Overview" description="One local endpoint for every AI tool on this machine." />
      <GettingStarted />
      <div className="grid-2">
        <ProxyPanel />
        <EndpointsPanel />
      </div>
      <TodayStats />
      <LiveFeed />
    </>
  );
}
