import type { Comparison } from './received.js';

export interface Sample {
  day: number;
  heapMb: number;
  rssMb: number;
  fds: number;
  /** Sleeps pending on the virtual clock (the engine's and the simulators' timers). */
  timers: number;
  /** process.getActiveResourcesInfo(): sockets, files, real timers. */
  handles: number;
  stateBytes: number;
}

/** Least-squares slope per simulated day over the samples after warm-up (the first 3 days). */
export function slopePerDay(samples: readonly Sample[], field: 'heapMb' | 'rssMb'): number {
  const xs = samples.filter((s) => s.day > 3);
  if (xs.length < 3) return Number.NaN;
  const mx = xs.reduce((t, s) => t + s.day, 0) / xs.length;
  const my = xs.reduce((t, s) => t + s[field], 0) / xs.length;
  const num = xs.reduce((t, s) => t + (s.day - mx) * (s[field] - my), 0);
  const den = xs.reduce((t, s) => t + (s.day - mx) ** 2, 0);
  return num / den;
}

const range = (samples: readonly Sample[], f: (s: Sample) => number) => {
  const v = samples.filter((s) => s.day > 3).map(f);
  return v.length ? `${Math.min(...v)}–${Math.max(...v)}` : 'n/a';
};

export function formatCheckpoint(day: number, samples: readonly Sample[], c: Comparison, duplicates: number, runs: number, faults: Record<string, number>, restarts: number, wallMs: number): string {
  const last = samples.at(-1)!;
  return [
    `── day ${day.toFixed(0)} (${(wallMs / 1000).toFixed(0)} s wall) ──`,
    `  totals: ${c.synced} transcripts, ${c.wrong.length - c.behind} wrong, ${c.behind} still in flight, ${c.over} over; duplicates ${duplicates}; ${runs} runs`,
    `  heap ${last.heapMb.toFixed(1)} MB (slope ${slopePerDay(samples, 'heapMb').toFixed(2)} MB/day), rss ${last.rssMb.toFixed(1)} MB (slope ${slopePerDay(samples, 'rssMb').toFixed(2)} MB/day)`,
    `  state dir ${(last.stateBytes / 1024).toFixed(0)} KiB; fds ${range(samples, (s) => s.fds)}; virtual timers ${range(samples, (s) => s.timers)}; handles ${range(samples, (s) => s.handles)}`,
    `  faults ${Object.entries(faults).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; restarts ${restarts}`,
  ].join('\n');
}
