import { useControlQuery } from '../../hooks/use-control';

/** The first-run checklist; disappears once a provider, a model and a token exist. */
export function GettingStarted() {
  const providers = useControlQuery('listProviders');
  const aliases = useControlQuery('listAliases');
  const tokens = useControlQuery('listClientTokens');
  if (!providers.data || !aliases.data || !tokens.data) return null;
  const steps = [
    { done: providers.data.length > 0, text: 'Add a provider and its API key', href: '#/providers' },
    { done: aliases.data.length > 0, text: 'Create a model alias your tools will ask for', href: '#/models' },
    { done: tokens.data.some((token) => token.lastUsedAt !== null), text: 'Connect a tool with its own client token', href: '#/connect' },
  ];
  if (steps.every((step) => step.done)) return null;
  return (
    <section className="panel onboarding" aria-label="Getting started">
      <h2>Getting started</h2>
      <ol>
        {steps.map((step) => (
          <li key={step.text} className={step.done ? 'done' : ''}>
            <span className="step-check" aria-hidden="true">{step.done ? '✓' : ''}</span>
            {step.done ? <span>{step.text}</span> : <a href={step.href}>{step.text}</a>}
            {step.done ? <span className="sr-only"> (done)</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
