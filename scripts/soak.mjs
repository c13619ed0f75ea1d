#!/usr/bin/env node
// Soak: the real engine, live mode on, against the gateway and AgentWatch simulators on a virtual clock for a month
// of 30 s polls, with random faults, abrupt restarts every few days and one sleep/wake. Prints a checkpoint every
// few simulated days and a one-screen report at the end (figures recorded in docs/soak.md).
// Usage: npm run soak [-- --days 30 --seed 24 --checkpoint 5]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// The scenario is TypeScript shared with test/soak/soak.test.ts: run through tsx, with gc exposed so heap samples
// are taken after a collection.
if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { values } = parseArgs({ options: { days: { type: 'string', default: '30' }, seed: { type: 'string' }, checkpoint: { type: 'string', default: '5' } } });
const days = Number(values.days);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const { runSoak } = await import('../test/soak/soak-scenario.ts');

console.log(`soak: ${days} simulated days of 30 s polls, live on, seed ${seed}`);
const r = await runSoak({ days, seed, restartEveryDays: 3, faultEveryHours: 4, wakeAtDay: Math.min(10, days / 2), wakeHours: 6, checkpointEveryDays: Number(values.checkpoint), print: (t) => console.log(t) });
const last = r.samples.at(-1);
const warm = r.samples.filter((s) => s.day > 3);
const spread = (f) => (warm.length ? `${Math.min(...warm.map(f))}–${Math.max(...warm.map(f))}` : 'n/a');
const ok = r.comparison.wrong.length === 0 && r.missing.length === 0 && r.duplicates <= r.duplicateBound;
console.log(`══ soak end: ${days} days in ${r.wallSeconds.toFixed(0)} s wall (seed ${seed}) ══`);
console.log(`totals: ${r.comparison.synced} transcripts, ${r.comparison.wrong.length} differ from the gateway, ${r.missing.length} missing; ${r.runs} runs, ${r.polls} polls`);
console.log(`duplicates: ${r.duplicates} events (bound ${r.duplicateBound}: one batch per accepted-then-lost POST or restart)`);
console.log(`faults: ${Object.entries(r.faults).map(([k, n]) => `${k} ${n}`).join(', ')}; abrupt restarts ${r.restarts}`);
console.log(`wake after 6 h: ${r.wake.reconnects} reconnect, ${r.wake.fullReads} reconciliation (${r.wake.usageReads} usage asks), ${r.wake.polls} polls in 90 s, ${r.wake.warnings.length} warnings`);
console.log(`heap ${last?.heapMb.toFixed(1)} MB, slope ${r.heapSlopeMbPerDay.toFixed(3)} MB/day; rss ${last?.rssMb.toFixed(1)} MB, slope ${r.rssSlopeMbPerDay.toFixed(3)} MB/day (after day 3)`);
const peak = Math.max(...r.samples.map((s) => s.stateBytes));
console.log(`state dir ${(r.stateDirBytes / 1024).toFixed(1)} KiB at the end for ${r.trackedSessions} tracked sessions (${(r.stateDirBytes / Math.max(1, r.trackedSessions)).toFixed(0)} B each), at most ${(peak / 1024).toFixed(0)} KiB at a daily sample (journal before compaction)`);
console.log(`fds ${spread((s) => s.fds)}, virtual timers ${spread((s) => s.timers)}, active handles ${spread((s) => s.handles)} (daily, after day 3)`);
console.log(`engine warnings/errors by kind: ${r.warnings.slice(0, 8).map(([k, n]) => `${n}× ${k}`).join('\n  ')}`);
for (const w of r.comparison.wrong.slice(0, 5)) console.log(`  differs: ${w}`);
for (const m of r.missing.slice(0, 5)) console.log(`  missing: ${m}`);
console.log(ok ? 'PASS' : 'FAIL');
process.exit(ok ? 0 : 1);
