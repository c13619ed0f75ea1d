// Shared by the runners: event-loop delay, RSS and timing summaries.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(ms) {
  const round = (v) => (v === null ? null : Math.round(v * 100) / 100);
  return { n: ms.length, p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), min: round(Math.min(...ms)), max: round(Math.max(...ms)) };
}

/** Event-loop delay max and RSS peak over the measured iterations only. */
export function loopProbe() {
  const h = monitorEventLoopDelay({ resolution: 5 });
  let maxDelayMs = 0;
  let rssMax = 0;
  return {
    start() {
      h.reset();
      h.enable();
    },
    stop() {
      h.disable();
      maxDelayMs = Math.max(maxDelayMs, h.max / 1e6);
      rssMax = Math.max(rssMax, process.memoryUsage.rss());
    },
    result() {
      return { eventLoopDelayMaxMs: Math.round(maxDelayMs * 10) / 10, rssMaxMB: Math.round((rssMax / 1048576) * 10) / 10 };
    },
  };
}

export async function control(url, path) {
  const res = await fetch(`${url}${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
  return res.json();
}

export function emit(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
