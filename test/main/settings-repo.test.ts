import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { afterEach, beforeEach } from 'node:test';
import { openJsonStore } from '../../src/main/json-store.js';
import { MIGRATIONS, type Migration } from '../../src/main/settings-migrations.js';
import { createSettingsRepo } from '../../src/main/settings-repo.js';
import { DEFAULT_SETTINGS } from '../../src/shared/settings.js';
import { __test } from '../support/fake-electron/index.js';
import { recordingLogger } from './fake-engine.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'settings-repo-'));
  __test.reset({ userData: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Record<string, unknown>;
const open = (log = recordingLogger().log, migrations?: readonly Migration[]) => createSettingsRepo(openJsonStore(dir, 'settings', log), log, migrations);

test('a fresh store loads the defaults and records the current schema version', () => {
  assert.deepEqual(open().load(), DEFAULT_SETTINGS);
  assert.equal(file().schemaVersion, 1);
});

test('saved settings persist and reload in a new repo instance over the same userData dir', () => {
  const saved = open().save({ ...DEFAULT_SETTINGS, openclawUrl: 'http://127.0.0.1:19000', pollIntervalSec: 45, logLevel: 'debug' });
  assert.equal(saved.ok, true);
  const again = open().load();
  assert.equal(again.openclawUrl, 'http://127.0.0.1:19000');
  assert.equal(again.pollIntervalSec, 45);
  assert.equal(again.logLevel, 'DEBUG');
});

test('save rejects invalid values per field and writes nothing', () => {
  const repo = open();
  const r = repo.save({ ...DEFAULT_SETTINGS, pollIntervalSec: 1, agentwatchUrl: 'ftp://x', filter: { ...DEFAULT_SETTINGS.filter, activeMinutes: 0 } });
  assert.equal(r.ok, false);
  assert.deepEqual(Object.keys(r.ok ? {} : r.errors).sort(), ['agentwatchUrl', 'filter.activeMinutes', 'pollIntervalSec']);
  assert.match(r.ok ? '' : r.errors.agentwatchUrl!, /http:\/\/ or https:\/\//);
  assert.equal(file().settings, undefined);
});

test('save writes only schema fields: a token smuggled into the settings is not stored', () => {
  const secret = 'tok-smuggled-0123456789';
  assert.equal(open().save({ ...DEFAULT_SETTINGS, token: secret, apiKey: secret }).ok, true);
  assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8').includes(secret), false);
});

test('invalid stored values fall back to their defaults with a WARN naming them; valid ones are kept', () => {
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, settings: { pollIntervalSec: 2, openclawUrl: 'http://10.0.0.5:18789', filter: { activeMinutes: -1, minTokens: 99 } } }));
  const rec = recordingLogger();
  const s = open(rec.log).load();
  assert.equal(s.pollIntervalSec, DEFAULT_SETTINGS.pollIntervalSec);
  assert.equal(s.openclawUrl, 'http://10.0.0.5:18789');
  assert.equal(s.filter.activeMinutes, DEFAULT_SETTINGS.filter.activeMinutes);
  assert.equal(s.filter.minTokens, 99);
  const [warning] = rec.warnings();
  assert.match(warning ?? '', /pollIntervalSec \(/);
  assert.match(warning ?? '', /filter\.activeMinutes \(/);
});

test('a settings file that is not JSON is set aside and the app starts from defaults', () => {
  writeFileSync(join(dir, 'settings.json'), '{ not json');
  const rec = recordingLogger();
  assert.deepEqual(open(rec.log).load(), DEFAULT_SETTINGS);
  assert.equal(readFileSync(join(dir, 'settings.json.corrupt'), 'utf8'), '{ not json');
  assert.match(rec.warnings()[0] ?? '', /settings\.json could not be read/);
});

test('v0 → v1 migration renames fields, nests them, drops a clear-text token, and runs once', () => {
  const legacyToken = 'legacy-token-abcdef123456';
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ gatewayUrl: 'http://127.0.0.1:18790', pollInterval: 60, sink: 'seed', token: legacyToken }));
  const rec = recordingLogger();
  const s = open(rec.log).load();
  assert.equal(s.openclawUrl, 'http://127.0.0.1:18790');
  assert.equal(s.pollIntervalSec, 60);
  assert.equal(s.sink, 'seed');
  assert.equal(file().schemaVersion, 1);
  assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8').includes(legacyToken), false);
  assert.ok(rec.warnings().some((w) => w.includes('dropped "token"')));

  let runs = 0;
  const counting: Migration[] = MIGRATIONS.map((m) => ({ ...m, run: (d, w) => (runs++, m.run(d, w)) }));
  open(recordingLogger().log, counting);
  assert.equal(runs, 0, 'already at v1');
});

test('a counting v1 → v2 step runs exactly once across restarts', () => {
  let runs = 0;
  const v2: Migration = { to: 2, describe: 'test step', run: (d) => (runs++, d) };
  open(recordingLogger().log, [...MIGRATIONS]);
  open(recordingLogger().log, [...MIGRATIONS, v2]);
  open(recordingLogger().log, [...MIGRATIONS, v2]);
  assert.equal(runs, 1);
  assert.equal(file().schemaVersion, 2);
});

test('notification preferences default on, budgets off; bad ones fall back with a warning', () => {
  assert.deepEqual(open().loadNotificationPrefs(), { failure: true, recovery: true, deadLetter: true, dailyTokenBudget: null, dailyUsdBudget: null });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, notifications: { recovery: false, dailyTokenBudget: 'lots' } }));
  const rec = recordingLogger();
  const prefs = open(rec.log).loadNotificationPrefs();
  assert.equal(prefs.recovery, false);
  assert.equal(prefs.dailyTokenBudget, null);
  assert.match(rec.warnings()[0] ?? '', /dailyTokenBudget/);
});
