import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  families: ReturnType<typeof parsePrometheusTextFormat>;
  /** Samples of a counter/gauge family (empty when absent). */
  samples(name: string): Sample[];
  /** The one sample whose labels include all of `labels`. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

/** GET /metrics and parse it with a real exposition-format parser. */
export async function scrape(baseUrl: string): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const families = parsePrometheusTextFormat(await res.text());
  const samples = (name: string): Sample[] =>
    (families.find((f) => f.name === name)?.metrics ?? []).map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) }));
  return {
    families,
    samples,
    value: (name, labels = {}) => samples(name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value,
  };
}
