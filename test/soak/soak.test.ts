import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from './soak-scenario.js';

// The short soak (the long one is `npm run soak`, recorded in docs/soak.md): a few simulated days of the real
// engine, live mode on, against both simulators with faults, restarts and one sleep/wake. Only what cannot vary
// with the machine is asserted here: exact totals, duplicates within the bound, a bounded state dir.
test('soak: 2 simulated days under faults end with exact totals per transcript, duplicates within the bound', async () => {
  const seed = Number(process.env.SOAK_SEED ?? 24);
  const r = await runSoak({ days: 2, seed, restartEveryDays: 0.7, faultEveryHours: 1.5, wakeAtDay: 1, wakeHours: 5, checkpointEveryDays: 1 });
  const why = `SOAK_SEED=${seed}`;
  assert.deepEqual(r.comparison.wrong, [], `${why}: every synced transcript holds the gateway's figure`);
  assert.deepEqual(r.missing, [], `${why}: every transcript the filter keeps reached AgentWatch`);
  assert.ok(r.duplicates <= r.duplicateBound, `${why}: ${r.duplicates} duplicates > bound ${r.duplicateBound}`);
  assert.ok(r.stateDirBytes < 64 * 1024 + 2048 * r.trackedSessions, `${why}: state dir ${r.stateDirBytes} bytes for ${r.trackedSessions} sessions`);
  assert.equal(r.wake.reconnects, 1, `${why}: one reconnect after the wake`);
  assert.equal(r.wake.fullReads, 1, `${why}: one reconciliation after the wake`);
  assert.ok(r.wake.polls <= 5, `${why}: ${r.wake.polls} polls in the 90 s after the wake (no catch-up)`);
  assert.ok(r.wake.warnings.length <= 2, `${why}: warnings after the wake: ${r.wake.warnings.join(' | ')}`);
  assert.ok(r.runs > 500 && r.restarts >= 1 && Object.keys(r.faults).length >= 4, JSON.stringify({ runs: r.runs, restarts: r.restarts, faults: r.faults }));
});
