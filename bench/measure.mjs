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

/** Times one poll and reports the longest event-loop stall during it and the RSS right after it. */
export async function measurePoll(poll) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const detail = await poll();
  const ms = performance.now() - t0;
  h.disable();
  return { ms, stallMs: h.max / 1e6, rssMB: process.memoryUsage.rss() / 1048576, detail };
}

/** Answers the driver's IPC commands ({cmd, ...}) one at a time. */
export function serveCommands(handlers) {
  let chain = Promise.resolve();
  process.on('message', (msg) => {
    chain = chain.then(async () => {
      try {
        const value = await handlers[msg.cmd](msg);
        process.send({ ok: true, value }, () => msg.cmd === 'done' && process.exit(0));
      } catch (e) {
        process.send({ ok: false, error: String(e?.stack ?? e) });
      }
    });
  });
  process.send({ ok: true, value: 'ready' });
}

export async function control(url, path) {
  const res = await fetch(`${url}${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
  return res.json();
}
