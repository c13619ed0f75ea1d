import assert from 'node:assert/strict';
import test from 'node:test';
import { gatewaysStatus } from '../../src/shared/gateways-status.js';
import { initialStatus, type SyncStatus } from '../../src/shared/sync-status.js';

const INTERVAL = 30_000;
const T0 = 1_800_000_000_000;
const lastError = { code: 'NETWORK', message: 'gateway at ws://vps:18789 refused the connection', at: T0 };

function status(patch: Partial<SyncStatus> = {}): SyncStatus {
  return { ...initialStatus(), phase: 'idle', pollIntervalMs: INTERVAL, startedAt: T0 - 60_000, lastSuccessAt: T0, ...patch };
}

const ok = status();
const failing = status({ consecutiveErrors: 2, lastError });
const paused = status({ phase: 'paused' });
const polling = status({ phase: 'polling' });
const stale = status({ lastSuccessAt: T0 - 10 * INTERVAL });
const stopped = status({ phase: 'stopped', lastError });

const of = (...states: SyncStatus[]) => gatewaysStatus(states.map((s, i) => ({ id: `id-${i}`, label: ['laptop', 'home', 'vps'][i]!, status: s })), T0);

test('all gateways fine: ok, nobody in trouble', () => {
  assert.deepEqual({ ...of(ok, ok, ok), gateways: undefined }, { state: 'ok', reason: 'all 3 gateways ok', gateways: undefined, trouble: [] });
  assert.equal(of(ok).reason, 'last poll succeeded', 'one gateway reads like the single-gateway tray');
});

test('the worst state wins and the reason names the gateway in trouble', () => {
  const s = of(ok, polling, failing);
  assert.equal(s.state, 'failing');
  assert.deepEqual(s.trouble.map((g) => g.label), ['vps']);
  assert.equal(s.reason, `vps: last 2 polls failed: ${lastError.message}`);
  assert.equal(s.gateways.length, 3, 'every gateway keeps its own verdict for its menu section');
  assert.equal(s.gateways[1]!.verdict.state, 'syncing');
});

test('severity: failing > stopped > stale > paused > syncing > ok', () => {
  const order = [
    [failing, stopped, 'failing'],
    [stopped, stale, 'stopped'],
    [stale, paused, 'stale'],
    [paused, polling, 'paused'],
    [polling, ok, 'syncing'],
  ] as const;
  for (const [worse, better, state] of order) {
    assert.equal(of(better, worse).state, state, `${state} over the other`);
    assert.equal(of(worse, better).state, state, 'in either order');
  }
});

test('gateways tied at the worst state are all named, in list order', () => {
  const s = of(failing, ok, failing);
  assert.deepEqual(s.trouble.map((g) => g.label), ['laptop', 'vps']);
  assert.match(s.reason, /^laptop: last 2 polls failed: .*; vps: last 2 polls failed: /);
});

test('no gateway at all is stopped, with a reason to set one up', () => {
  assert.deepEqual(gatewaysStatus([], T0), { state: 'stopped', reason: 'no gateway is set up', gateways: [], trouble: [] });
});
