// docs/bench.md from a bench result (and the history of results for ranges).
const TARGETS = { ratio: 1.5, small: 10, stall: 50, idle: 0.5, rss: 80, live: 2000 };
const mark = (ok) => (ok ? '✅' : '❌');
const range = (values) => {
  const v = values.filter((x) => typeof x === 'number');
  if (v.length === 0) return '–';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
};
const variant = (f) => `${f.client}, ${f.pageSize}/page ×${f.inFlight}${f.usageParallel ? ', usage in parallel' : ''}`;

export function sizeVerdict(s) {
  const checks = [];
  if (s.sessions >= 1000) checks.push(s.ratioP50 <= TARGETS.ratio);
  if (s.sessions <= 50) checks.push(s.product.p50 <= TARGETS.small);
  if (s.sessions >= 10000) checks.push(s.product.eventLoopDelayMaxMs <= TARGETS.stall, s.product.rssMaxMB <= TARGETS.rss);
  return checks.every(Boolean);
}

export function renderBenchMarkdown(r, history, findings) {
  const lines = [];
  lines.push('# Performance', '');
  lines.push(`Run ${r.at}${r.quick ? ' (quick)' : ''} on ${r.machine.cpus} × ${r.machine.model}, Node ${r.machine.node}; load average ${r.machine.loadavgAtStart.join(' / ')} at start, ${r.machine.loadavgAtEnd.join(' / ')} at the end (a shared machine: other builds and tests were running, absolute times vary ±50 %).`, '');
  lines.push('A poll = every session changed since the last one: list all pages, read `sessions.usage`, plan, book durably (fsync), deliver every delta to AgentWatch in batches of 50. Product = the engine from the built bundle with default settings; floor = the fastest minimal script doing the same WebSocket requests, `JSON.parse` of every answer and the same HTTP POST bytes (best of the variants below, measured in the same run).', '');
  lines.push('| sessions | product p50 / p95 | floor p50 / p95 | product ÷ floor (p50) | event-loop delay max | RSS max | targets |');
  lines.push('|---:|---:|---:|---:|---:|---:|:--:|');
  for (const s of r.sizes) {
    lines.push(`| ${s.sessions.toLocaleString('en')} | ${s.product.p50} / ${s.product.p95} ms | ${s.floor.p50} / ${s.floor.p95} ms | ${s.ratioP50} | ${s.product.eventLoopDelayMaxMs} ms | ${s.product.rssMaxMB} MB | ${mark(sizeVerdict(s))} |`);
  }
  lines.push('');
  if (r.live) lines.push(`Live mode, change → AgentWatch over ${r.live.n} finished runs (includes the 250 ms debounce): p50 ${r.live.p50} ms, p95 ${r.live.p95} ms ${mark(r.live.p95 <= TARGETS.live)} (target p95 ≤ 2 s).`, '');
  if (r.idle) lines.push(`Idle daemon (50 sessions, 30 s poll interval, live mode ${r.idle.mode === 'live' ? 'on' : 'off'}), ${r.idle.idleSeconds} s: ${r.idle.cpuPercent} % of one core ${mark(r.idle.cpuPercent <= TARGETS.idle)} (target ≤ 0.5 %), RSS ${r.idle.rssMB} MB.`, '');
  lines.push('Targets: product ÷ floor ≤ 1.5 at 1k and 10k; ≤ 10 ms per poll at 50; no event-loop stall > 50 ms and RSS ≤ 80 MB at 10k; idle ≤ 0.5 % CPU; live p95 ≤ 2 s.', '');
  const full = history.filter((h) => !h.quick);
  const runs = full.length > 0 ? full : history;
  if (runs.length > 1) {
    lines.push(`## Ranges over ${runs.length} recorded ${full.length > 0 ? 'full ' : ''}runs (bench/results/*.json)`, '');
    lines.push('| sessions | product p50 | floor p50 | ratio | event-loop delay max | RSS max |', '|---:|---:|---:|---:|---:|---:|');
    for (const size of [...new Set(runs.flatMap((h) => h.sizes.map((s) => s.sessions)))].sort((a, b) => a - b)) {
      const of = runs.flatMap((h) => h.sizes.filter((s) => s.sessions === size));
      lines.push(`| ${size.toLocaleString('en')} | ${range(of.map((s) => s.product.p50))} ms | ${range(of.map((s) => s.floor.p50))} ms | ${range(of.map((s) => s.ratioP50))} | ${range(of.map((s) => s.product.eventLoopDelayMaxMs))} ms | ${range(of.map((s) => s.product.rssMaxMB))} MB |`);
    }
    lines.push('');
  }
  lines.push('## Floor variants (this run)', '', '| sessions | variant | p50 / p95 | event-loop delay max |', '|---:|---|---:|---:|');
  for (const s of r.sizes) for (const f of s.floors) lines.push(`| ${s.sessions.toLocaleString('en')} | ${variant(f)}${f === s.floor || (f.p50 === s.floor.p50 && f.client === s.floor.client && f.pageSize === s.floor.pageSize && f.inFlight === s.floor.inFlight) ? ' **(floor)**' : ''} | ${f.p50} / ${f.p95} ms | ${f.eventLoopDelayMaxMs} ms |`);
  lines.push('');
  if (findings.trim()) lines.push(findings.trim(), '');
  lines.push('Reproduce: `npm run bench` (about 10 minutes; `-- --quick` shortens the idle window to 60 s and the iterations; `-- --cpu-prof` writes V8 profiles of the product runs to bench/results/profiles/; `-- --render-only` rebuilds this page from the recorded results after bench/findings.md changed).', '');
  return lines.join('\n');
}
