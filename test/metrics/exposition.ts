/**
 * Reads a /metrics answer with a Prometheus text-format parser from npm
 * (parse-prometheus-text-format, prom2json-compatible). That parser folds a labelled histogram
 * into one sample without its labels, so the text is parsed twice: as it is, for each family's
 * type and help, and with histogram TYPE lines read as untyped, which gives every `_bucket`,
 * `_sum` and `_count` sample with its own labels.
 */
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format';

export interface Exposition {
  type(name: string): PrometheusFamily['type'] | undefined;
  /** Every sample of a series name (`x_total`, `x_seconds_count`, …). */
  samples(name: string): PrometheusSample[];
  /** The value of the one sample whose labels include `labels` (NaN when none). */
  value(name: string, labels?: Record<string, string>): number;
}

export function readExposition(text: string): Exposition {
  const typed = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family.type]));
  const flat = new Map<string, PrometheusSample[]>();
  for (const family of parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'))) {
    flat.set(family.name, [...(flat.get(family.name) ?? []), ...family.metrics]);
  }
  const samples = (name: string) => flat.get(name) ?? [];
  return {
    type: (name) => typed.get(name),
    samples,
    value(name, labels = {}) {
      const found = samples(name).filter((sample) => Object.entries(labels).every(([label, value]) => sample.labels?.[label] === value));
      if (found.length !== 1) return Number.NaN;
      return Number(found[0]!.value);
    },
  };
}
