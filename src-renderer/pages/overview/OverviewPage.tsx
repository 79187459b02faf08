import { PageHeader } from '../../components/PageHeader';
import { useControlQuery } from '../../hooks/use-control';
import { ConnectivityNotice } from './ConnectivityNotice';
import { EndpointsPanel } from './EndpointsPanel';
import { GettingStarted } from './GettingStarted';
import { LiveFeed } from './LiveFeed';
import { ProxyPanel } from './ProxyPanel';
import { TodayStats } from './TodayStats';

export function OverviewPage() {
  const status = useControlQuery('getStatus');
  return (
    <>
      <PageHeader title="Overview" description="One local endpoint for every AI tool on this machine." />
      {status.data?.state === 'running' ? <ConnectivityNotice routing={status.data.routing} /> : null}
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
