import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/Panel';
import { useControlMutation, useControlQuery } from '../../hooks/use-control';

/** USD per million tokens for each upstream model (or pattern with *); edits apply to the estimates. */
export function PriceTable() {
  const prices = useControlQuery('listPrices');
  const setPrice = useControlMutation('setPrice');
  const deletePrice = useControlMutation('deletePrice');
  const [draft, setDraft] = useState({ model: '', input: '', output: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPrice.mutate(
      { model: draft.model.trim(), inputPerMillion: Number(draft.input), outputPerMillion: Number(draft.output) },
      { onSuccess: () => setDraft({ model: '', input: '', output: '' }) },
    );
  };
  return (
    <Panel title="Prices (USD per million tokens)">
      <ErrorNotice error={prices.error ?? setPrice.error ?? deletePrice.error} />
      <table className="table compact">
        <thead><tr><th>Model or pattern</th><th className="num">Input</th><th className="num">Output</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {(prices.data ?? []).map((price) => (
            <tr key={price.model}>
              <td className="mono">{price.model}</td>
              <td className="num">
                <input type="number" min={0} step="0.01" aria-label={`Input price for ${price.model}`} defaultValue={price.inputPerMillion}
                  onBlur={(e) => Number(e.target.value) !== price.inputPerMillion && setPrice.mutate({ ...price, inputPerMillion: Number(e.target.value) })} />
              </td>
              <td className="num">
                <input type="number" min={0} step="0.01" aria-label={`Output price for ${price.model}`} defaultValue={price.outputPerMillion}
                  onBlur={(e) => Number(e.target.value) !== price.outputPerMillion && setPrice.mutate({ ...price, outputPerMillion: Number(e.target.value) })} />
              </td>
              <td className="actions"><ConfirmButton small label="Remove" ariaLabel={`Remove the price of ${price.model}`} title={`Remove the price of ${price.model}?`} actionLabel="Remove price"
                description="Costs of this model show as “–” until it has a price again." onConfirm={() => deletePrice.mutate({ model: price.model })} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {prices.data?.length === 0 ? <p className="muted small">No prices yet: costs show as “–” until a model has one.</p> : null}
      <form className="inline-form" onSubmit={submit}>
        <input aria-label="Model or pattern" className="mono" placeholder="gpt-4o or claude-*" value={draft.model} onChange={(e) => setDraft({ ...draft, model: e.target.value })} required />
        <input aria-label="Input USD per million" type="number" min={0} step="0.01" placeholder="input" value={draft.input} onChange={(e) => setDraft({ ...draft, input: e.target.value })} required />
        <input aria-label="Output USD per million" type="number" min={0} step="0.01" placeholder="output" value={draft.output} onChange={(e) => setDraft({ ...draft, output: e.target.value })} required />
        <button type="submit" className="button" disabled={setPrice.isPending}>Add price</button>
      </form>
    </Panel>
  );
}
