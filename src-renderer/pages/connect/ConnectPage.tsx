import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { useControlQuery } from '../../hooks/use-control';
import { ToolPanel } from './ToolPanel';
import { CommandsPanel } from './CommandsPanel';
import { TOOL_GUIDES } from './tools';

/** Tool list (left) and the chosen tool's settings, snippet and check (right). */
export function ConnectPage() {
  const [toolId, setToolId] = useState(TOOL_GUIDES[0]!.id);
  const status = useControlQuery('getStatus');
  const tool = TOOL_GUIDES.find((guide) => guide.id === toolId) ?? TOOL_GUIDES[0]!;
  return (
    <>
      <PageHeader title="Connect a tool" description="Point each tool at Switchboard with its own client token, then check what it will see." />
      {status.data && status.data.state !== 'running' ? <p className="notice notice-warn">The proxy is {status.data.state}: start it on the Overview page before checking a tool.</p> : null}
      <div className="split split-narrow">
        <nav className="panel tool-list" aria-label="Tools">
          <ul>
            {TOOL_GUIDES.map((guide) => (
              <li key={guide.id}>
                <button type="button" aria-current={guide.id === tool.id ? 'true' : undefined} onClick={() => setToolId(guide.id)}>{guide.name}</button>
              </li>
            ))}
          </ul>
        </nav>
        <ToolPanel key={tool.id} tool={tool} />
      </div>
      <CommandsPanel />
    </>
  );
}
