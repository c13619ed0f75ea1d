import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentSuffixOf, gatewayLabel } from '../../src/shared/gateway-entry.js';
import { SyncError } from '../../src/sync/errors.js';
import { readRegistry, reconcileGateways, writeRegistry } from '../../src/sync/gateway-registry.js';
import { silentLogger } from '../../src/sync/ports.js';
import { findSingleGatewayState } from '../../src/sync/single-gateway-state.js';
import { LEGACY_GATEWAY_PORT } from '../support/legacy-world.js';
import { repoRoot } from '../support/run-cli.js';
import { tempDir } from '../support/engine-kit.js';

function ids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

test('the first reconcile turns a single-gateway state into entry 1 in place; later gateways get their own dirs and suffixed agents', () => {
  const r = reconcileGateways([], [{ url: 'http://127.0.0.1:18789' }, { url: 'https://vps.example:443', name: 'vps' }], 0, ids());
  const [one, two] = r.entries;
  assert.deepEqual(one, { id: '00000000-0000-4000-8000-000000000001', url: 'http://127.0.0.1:18789', scope: '127.0.0.1:18789', dir: '.', plainAgentNames: true });
  assert.deepEqual(two, { id: '00000000-0000-4000-8000-000000000002', url: 'https://vps.example:443', name: 'vps', scope: 'vps.example:443', dir: 'gateways/00000000-0000-4000-8000-000000000002', plainAgentNames: false });
  assert.equal(r.migrated, one);
  assert.deepEqual(r.added, [one, two]);
  assert.equal(r.changed, true);
  assert.equal(agentSuffixOf(one!), '');
  assert.equal(agentSuffixOf(two!), ' @ vps');
  assert.equal(gatewayLabel(one!), '127.0.0.1:18789', 'no name: host:port');
});

test('without a single-gateway state every entry gets its own dir; only the first keeps bare agent names', () => {
  const r = reconcileGateways([], [{ url: 'http://a:1' }, { url: 'http://b:2' }], undefined, ids());
  assert.deepEqual(r.entries.map((e) => [e.dir, e.plainAgentNames]), [['gateways/00000000-0000-4000-8000-000000000001', true], ['gateways/00000000-0000-4000-8000-000000000002', false]]);
  assert.equal(r.migrated, undefined);
});

test('known gateways are found by URL (any spelling), keep id, dir and scope, and take the new name; unlisted ones stay on file', () => {
  const first = reconcileGateways([], [{ url: 'http://laptop:1' }, { url: 'http://vps:2', name: 'vps' }, { url: 'http://old:3' }], 0, ids());
  const again = reconcileGateways(first.all, [{ url: 'http://VPS:2/', name: 'cloud', tokenFile: '/t' }, { url: 'http://laptop:1' }], 0, ids());
  assert.deepEqual(again.entries.map((e) => e.id), [first.entries[1]!.id, first.entries[0]!.id], 'listed order, same ids');
  assert.deepEqual(again.entries[0], { ...first.entries[1]!, url: 'http://VPS:2/', name: 'cloud', tokenFile: '/t' });
  assert.equal(again.entries[1]!.dir, '.', 'entry 1 keeps the migrated state dir');
  assert.deepEqual(again.added, []);
  assert.equal(again.migrated, undefined);
  assert.equal(again.changed, true);
  assert.deepEqual(again.all.map((e) => e.url), ['http://laptop:1', 'http://VPS:2/', 'http://old:3'], 'the unlisted gateway keeps its entry and state');
  const added = reconcileGateways(again.all, [{ url: 'http://laptop:1' }, { url: 'http://new:4' }], 0, ids());
  assert.equal(added.entries[1]!.plainAgentNames, false, 'added later: suffixed agent names');
  assert.equal(added.entries[1]!.dir.startsWith('gateways/'), true, 'never the migrated dir twice');
  const same = reconcileGateways(added.all, [{ url: 'http://laptop:1' }], 0, ids());
  assert.equal(same.changed, false, 'nothing to write when nothing changed');
});

test('the list round-trips through gateways.json (0600); missing is empty; damaged is one CONFIG line', async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const state = join(dir.path, 'state');
  assert.deepEqual(await readRegistry(state), []);
  const r = reconcileGateways([], [{ url: 'http://a:1', name: 'a' }]);
  await writeRegistry(state, r.all);
  assert.deepEqual(await readRegistry(state), r.all);
  assert.equal((await stat(join(state, 'gateways.json'))).mode & 0o777, 0o600);
  assert.match(r.all[0]!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a minted v4 UUID');
  await writeFile(join(state, 'gateways.json'), '{ nope');
  await assert.rejects(readRegistry(state), (e: Error) => e instanceof SyncError && e.code === 'CONFIG' && /gateways\.json is not valid JSON: restore it from a backup or move it aside/.test(e.message));
});

test('the single-gateway state is found with the gateway that made it, wherever that is listed', async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const state = join(dir.path, 'state');
  const legacy = `http://127.0.0.1:${LEGACY_GATEWAY_PORT}`;
  assert.deepEqual(await findSingleGatewayState(state, [legacy], silentLogger), { kind: 'none' }, 'no dir yet');
  await mkdir(state);
  await writeFile(join(state, 'gateways.json'), '{}');
  await writeFile(join(state, 'lock'), '{}');
  assert.deepEqual(await findSingleGatewayState(state, [legacy], silentLogger), { kind: 'none' }, 'a lock and a list are no ledger');
  await writeFile(join(state, 'journal-0.log'), '');
  assert.deepEqual(await findSingleGatewayState(state, ['http://vps:1', legacy], silentLogger), { kind: 'owned', owner: 0 }, 'an empty ledger goes to the first listed');
  await cp(join(repoRoot, 'test/fixtures/legacy-state/state'), state, { recursive: true });
  assert.deepEqual(await findSingleGatewayState(state, ['http://vps:1', `http://localhost:${LEGACY_GATEWAY_PORT}`, `${legacy}/`], silentLogger), { kind: 'owned', owner: 2 }, 'the ids give it away, not the order');
  assert.deepEqual(await findSingleGatewayState(state, ['http://vps:1'], silentLogger), { kind: 'foreign' });
});

test('an owner listed second gets the state in place and the bare names; the first listed is then a later one', () => {
  const r = reconcileGateways([], [{ url: 'http://vps:1', name: 'vps' }, { url: 'http://laptop:2' }], 1, ids());
  assert.deepEqual(r.entries.map((e) => [e.dir, e.plainAgentNames]), [['gateways/00000000-0000-4000-8000-000000000001', false], ['.', true]]);
  assert.equal(r.migrated, r.entries[1]);
});
