/**
 * Parses Prometheus text exposition into `series -> value` for exact assertions,
 * e.g. `samples.get('dashstream_queries_by_model_total{model="gpt-4o"}')`.
 * Label order is kept as rendered. Comments and blank lines are skipped.
 */
export function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const cut = line.lastIndexOf(" ");
    const series = line.slice(0, cut);
    const raw = line.slice(cut + 1);
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    samples.set(series, value);
  }
  return samples;
}

/** Returns the value of `series`, or throws naming the series and close matches. */
export function sample(samples: Map<string, number>, series: string): number {
  const value = samples.get(series);
  if (value === undefined) {
    const name = series.replace(/\{.*$/, "");
    const near = [...samples.keys()].filter((k) => k.startsWith(name)).slice(0, 20);
    throw new Error(`no sample ${series}; series of that name:\n  ${near.join("\n  ")}`);
  }
  return value;
}
