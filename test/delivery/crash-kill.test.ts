import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CRASH_POINTS, runCrashScenario } from './crash-scenario.js';

// `npm run crash-soak` runs the same scenario with 100 kills.
test('the CLI SIGKILLed 22 times (at every named crash point and at random moments) loses nothing and repeats at most one batch per kill', { timeout: 120_000 }, async (t) => {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`seed ${seed} (CRASH_SEED=${seed} repeats the same plan)`);
  const s = await runCrashScenario({ kills: 22, seed });
  const context = `seed ${seed}: ${JSON.stringify({ ...s, finalLogTail: undefined })}\n${s.finalLogTail}`;
  assert.ok(s.kills >= 20, context);
  for (const point of CRASH_POINTS) assert.ok((s.byPoint[point] ?? 0) >= 1, `a kill at ${point}: ${context}`);
  assert.ok((s.byPoint.random ?? 0) >= 8, `random kills: ${context}`);
  assert.equal(s.finalExitCode, 0, context);
  assert.deepEqual(s.missing, { input: 0, output: 0, costMicros: 0 }, `0 lost: ${context}`);
  assert.deepEqual(s.boundViolations, [], context);
  assert.ok(s.duplicated <= s.bound, context);
  assert.equal(s.duplicateTraces, 0, `one AgentWatch trace per session despite kills after trace creation: ${context}`);
  assert.equal(s.duplicateAgents, 0, context);
});

test('a large poll (booked in parts, delivered while it books) SIGKILLed 10 times loses nothing and repeats at most one batch per kill', { timeout: 240_000 }, async (t) => {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`seed ${seed}`);
  const s = await runCrashScenario({ kills: 10, seed, sessions: 520 }); // ≥ 500 rows: the pipelined path
  const context = `seed ${seed}: ${JSON.stringify({ ...s, finalLogTail: undefined })}\n${s.finalLogTail}`;
  assert.ok(s.kills >= 10, context);
  assert.ok((s.byPoint['after-book'] ?? 0) >= 1 && (s.byPoint['after-post'] ?? 0) >= 1, context);
  assert.equal(s.finalExitCode, 0, context);
  assert.deepEqual(s.missing, { input: 0, output: 0, costMicros: 0 }, `0 lost: ${context}`);
  assert.deepEqual(s.boundViolations, [], context);
  assert.equal(s.duplicateTraces, 0, context);
});
