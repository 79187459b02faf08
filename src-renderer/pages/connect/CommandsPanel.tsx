import { Panel } from '../../components/Panel';
import { useControlQuery } from '../../hooks/use-control';
import { COMMAND_HELP, DEFAULT_COMMAND_PREFIX } from '../../../src-proxy/domain/command-help.ts';

/** The in-chat commands every connected tool can type, with the prefix the settings give them. */
export function CommandsPanel() {
  const settings = useControlQuery('getSettings').data?.commands ?? { enabled: true, prefix: DEFAULT_COMMAND_PREFIX };
  const prefix = settings.prefix;
  return (
    <Panel title="In-chat commands" className="commands-panel">
      <p className="muted">
        {settings.enabled
          ? <>Type these on a line of their own in any connected tool's chat (clients with a token). A message of commands only is answered by Switchboard without calling a model; commands never reach the model.</>
          : <>In-chat commands are off in Settings.</>}
      </p>
      <table className="table compact">
        <thead><tr><th>Command</th><th>What it does</th></tr></thead>
        <tbody>
          {COMMAND_HELP.map((command) => (
            <tr key={command.name}>
              <td><code>{prefix}{command.usage}</code></td>
              <td>{command.what.replaceAll('{prefix}', prefix)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
