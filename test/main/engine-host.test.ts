import assert from 'node:assert/strict';
import test from 'node:test';
import { EngineHost } from '../../src/main/engine-host.js';
import { SyncError } from '../../src/sync/errors.js';
import type { SyncStatus } from '../../src/shared/sync-status.js';
import { deferred, FakeEngine, recordingLogger } from './fake-engine.js';

test('restart stops the old engine before creating the new one, and listeners follow the new engine', async () => {
  const order: string[] = [];
  const engines: FakeEngine[] = [];
  const gate = deferred();
  const host = new EngineHost(async () => {
    order.push('create');
    const e = new FakeEngine();
    engines.push(e);
    return e;
  }, recordingLogger().log);
  const seen: number[] = [];
  host.onStatus((s: SyncStatus) => seen.push(s.pollCount));
  await host.start();
  engines[0]!.stopGate = gate.promise;
  const restarting = host.restart();
  await Promise.resolve();
  assert.deepEqual(order, ['create'], 'no second engine while the first still flushes');
  gate.resolve();
  await restarting;
  assert.deepEqual(order, ['create', 'create']);
  engines[0]!.emit({ pollCount: 99 });
  engines[1]!.emit({ pollCount: 1 });
  assert.deepEqual(seen.filter((n) => n > 0), [1], 'the stopped engine is no longer heard');
});

test('a paused engine stays paused across a restart', async () => {
  const engines: FakeEngine[] = [];
  const host = new EngineHost(async () => {
    const e = new FakeEngine();
    engines.push(e);
    return e;
  }, recordingLogger().log);
  await host.start();
  host.current().pause();
  await host.restart();
  assert.deepEqual(engines[1]!.calls, ['pause', 'start']);
});

test('an engine that cannot be built leaves a stand-in that shows the error', async () => {
  const rec = recordingLogger();
  const host = new EngineHost(async () => {
    throw new SyncError('CONFIG', 'No OpenClaw gateway token yet. Open Settings and paste the gateway token.');
  }, rec.log, { now: () => 42 });
  await host.start();
  const s = host.status();
  assert.equal(s.consecutiveErrors, 1);
  assert.deepEqual(s.lastError, { code: 'CONFIG', message: 'No OpenClaw gateway token yet. Open Settings and paste the gateway token.', at: 42 });
  assert.equal((await host.current().runOnce()).ok, false);
  assert.ok(rec.lines.some((l) => l.level === 'error'));
});

test('the stand-in engine still checks filter syntax, so the window can fix settings while the sync is down', async () => {
  const host = new EngineHost(async () => {
    throw new SyncError('CONFIG', 'No OpenClaw gateway token yet. Open Settings and paste the gateway token.');
  }, recordingLogger().log);
  await host.start();
  assert.deepEqual(host.current().previewFilter('tokens >'), { ok: false, error: '"tokens" compares with a number like 10 (column 9)', column: 9 });
  assert.deepEqual(host.current().previewFilter('tokens > 5'), { ok: true, decisions: [] });
});

test('a companion runs beside each engine: attached after start, detached before the engine stops', async () => {
  const order: string[] = [];
  let n = 0;
  const host = new EngineHost(
    async () => {
      const e = new FakeEngine();
      const id = ++n;
      e.stop = async () => void order.push(`stop ${id}`);
      e.start = () => void order.push(`start ${id}`);
      return e;
    },
    recordingLogger().log,
    undefined,
    async (engine) => {
      const id = n;
      order.push(`attach ${id} (${engine.status().phase})`);
      return async () => void order.push(`detach ${id}`);
    },
  );
  await host.start();
  await host.restart();
  await host.stop();
  assert.deepEqual(order, ['start 1', 'attach 1 (idle)', 'detach 1', 'stop 1', 'start 2', 'attach 2 (idle)', 'detach 2', 'stop 2']);
});

test('a companion that fails to attach is logged and the engine keeps running', async () => {
  const rec = recordingLogger();
  const host = new EngineHost(async () => new FakeEngine(), rec.log, undefined, async () => {
    throw new Error('boom');
  });
  await host.start();
  assert.equal(host.status().phase, 'idle');
  assert.ok(rec.lines.some((l) => l.level === 'error' && l.message === 'Starting beside the sync engine failed: boom'));
  await host.stop();
});
