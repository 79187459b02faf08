import { ErrorNotice } from '../../components/ErrorNotice';
import { useControlMutation } from '../../hooks/use-control';
import { formatMs } from '../../lib/format';

/** Makes a real call to the provider and shows what came back. */
export function TestProvider({ providerId }: { providerId: string }) {
  const test = useControlMutation('testProvider');
  const result = test.data;
  return (
    <div className="test-provider">
      <button type="button" className="button" onClick={() => test.mutate({ providerId })} disabled={test.isPending}>
        {test.isPending ? 'Testing…' : 'Test'}
      </button>
      <span aria-live="polite">
        {result ? (
          <span className={result.ok ? 'text-ok' : 'text-bad'}>
            {result.ok ? '✓' : '✕'} {result.status ?? 'no answer'} · {formatMs(result.latencyMs)} · {result.message}
            {result.ok ? ` · ${result.models.length} models` : ''}
            {result.proxy ? ` · via ${result.proxy}` : ''}
          </span>
        ) : null}
      </span>
      <ErrorNotice error={test.error} />
    </div>
  );
}
