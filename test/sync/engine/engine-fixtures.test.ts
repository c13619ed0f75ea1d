import { test } from 'node:test';
import assert from 'node:assert/strict';
import { list1, list2, SYNCED, usage1, usage2 } from '../../support/fixture-sessions.js';
import { captureLog, engineFor, expectedFromUsage, FixedClock, receivedBySession, settingsFor, startPeers, tempDir } from '../../support/engine-kit.js';

/** The fixtures' two snapshots served in turn, with the clock at each snapshot's time. */
async function fixtureWorld() {
  const clock = new FixedClock(usage1.updatedAt + 1_000);
  let snap = 1;
  const peers = await startPeers({
    sessions: () => (snap === 1 ? list1 : list2),
    usage: () => (snap === 1 ? usage1 : usage2),
    now: () => clock.now(),
  });
  const toSnap2 = () => {
    snap = 2;
    clock.t = usage2.updatedAt + 1_000;
  };
  return { clock, peers, toSnap2 };
}

test('one poll delivers exactly the gateway sessions.usage totals per synced session, and skips cron', async () => {
  const { clock, peers } = await fixtureWorld();
  const dir = await tempDir();
  const { log, lines } = captureLog('DEBUG', [peers.token]);
  const engine = await engineFor(peers, dir.path, log, settingsFor(peers), { clock });
  try {
    const result = await engine.runOnce();
    assert.equal(result.ok, true, result.error?.message);
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedFromUsage(usage1, SYNCED));
    assert.equal(peers.agentwatch.traces.length, 5);
    assert.deepEqual(peers.agentwatch.agents.map((a) => a.name).sort(), ['main', 'ops']);
    assert.ok(lines.some((l) => l.endsWith('[DEBUG] - skip agent:main:cron:315d0157-a475-4638-ac10-29c45d69a0cd (classification=cron)')), lines.join('\n'));
    assert.ok(lines.some((l) => / \[INFO\] - Poll #1: 6 sessions → 5 events \(\d+\.\d\ds\)$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => l.endsWith('[INFO] - ✓ Ingested 5 events (total: 5)')));
    assert.ok(!lines.join('\n').includes(peers.token), 'the token never reaches the log');
    assert.deepEqual(peers.frameViolations, []);
  } finally {
    await engine.stop();
    await peers.close();
    await dir.remove();
  }
});

test('deltas across three polls: nothing for an unchanged snapshot, then exactly the growth', async () => {
  const { clock, peers, toSnap2 } = await fixtureWorld();
  const dir = await tempDir();
  const { log } = captureLog('INFO');
  const engine = await engineFor(peers, dir.path, log, settingsFor(peers), { clock });
  try {
    assert.equal((await engine.runOnce()).events, 5);
    const second = await engine.runOnce();
    assert.equal(second.events, 0, 'no delta, no event');
    assert.equal(peers.agentwatch.costs.length, 5);
    toSnap2();
    const third = await engine.runOnce();
    // main, ops and the telegram group ran again between the snapshots; the rest did not move.
    assert.equal(third.events, 3);
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedFromUsage(usage2, SYNCED));
    const mainCosts = peers.agentwatch.costs.filter((c) => c.input_tokens === 79026 - 56200);
    assert.equal(mainCosts.length, 1, 'the main session booked exactly its growth as one delta');
  } finally {
    await engine.stop();
    await peers.close();
    await dir.remove();
  }
});

test('a restart on the same state dir keeps totals exact and reuses agents and traces', async () => {
  const { clock, peers, toSnap2 } = await fixtureWorld();
  const dir = await tempDir();
  const { log } = captureLog('INFO');
  const first = await engineFor(peers, dir.path, log, settingsFor(peers), { clock });
  await first.runOnce();
  await first.stop();
  toSnap2();
  const second = await engineFor(peers, dir.path, log, settingsFor(peers), { clock });
  try {
    await second.runOnce();
    await second.runOnce();
    assert.deepEqual(receivedBySession(peers.agentwatch), expectedFromUsage(usage2, SYNCED));
    assert.equal(peers.agentwatch.agents.length, 2, 'no agent created twice');
    assert.equal(peers.agentwatch.traces.length, 5, 'no trace created twice');
  } finally {
    await second.stop();
    await peers.close();
    await dir.remove();
  }
});

test('a second instance on the same state dir refuses with a clear message', async () => {
  const { clock, peers } = await fixtureWorld();
  const dir = await tempDir();
  const { log } = captureLog('INFO');
  const first = await engineFor(peers, dir.path, log, settingsFor(peers), { clock });
  try {
    await assert.rejects(engineFor(peers, dir.path, log, settingsFor(peers), { clock }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'LOCKED');
      assert.match(e.message, /already using the state dir/);
      return true;
    });
  } finally {
    await first.stop();
    await peers.close();
    await dir.remove();
  }
});

test('a filter preview judges the last poll with a candidate expression, without booking anything', async () => {
  const { clock, peers } = await fixtureWorld();
  const dir = await tempDir();
  const { log } = captureLog('INFO');
  const engine = await engineFor(peers, dir.path, log, settingsFor(peers), { clock });
  try {
    assert.deepEqual(engine.previewFilter('classification in (main)'), { ok: true, decisions: [] }, 'nothing polled yet');
    await engine.runOnce();
    const costs = peers.agentwatch.costs.length;
    const preview = engine.previewFilter('classification in (main) and not agentId = "ops"');
    assert.equal(preview.ok, true);
    const kept = preview.ok ? preview.decisions.filter((d) => d.keep).map((d) => d.key) : [];
    assert.deepEqual(kept, ['agent:main:main']);
    assert.equal(peers.agentwatch.costs.length, costs, 'a preview books nothing');
    assert.deepEqual(engine.previewFilter('tokens >'), { ok: false, error: '"tokens" compares with a number like 10 (column 9)', column: 9 });
  } finally {
    await engine.stop();
    await peers.close();
    await dir.remove();
  }
});
