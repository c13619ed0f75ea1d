import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createLogger } from '../../../src/sync/logger.js';
import { loadOrCreateDeviceIdentity } from '../../../src/sync/openclaw/device-identity.js';
import { acquireStateLock } from '../../../src/sync/store/lock.js';
import { ensurePrivateDir, ensurePrivateFiles } from '../../../src/sync/store/private-files.js';
import { SyncState } from '../../../src/sync/store/sync-state.js';
import { FakeClock, delta, recordingLogger, tempDir, type RecordingLogger } from './store-test-kit.js';

const posixOnly = { skip: process.platform === 'win32' ? 'Windows has no POSIX modes (per-user folders instead)' : false };
const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
const tightenedLines = (log: RecordingLogger) => log.lines.filter((l) => l.message.startsWith('Tightened permissions'));

/** Every state file a sync run leaves: lock, snapshot (close compacts), journal, dead letters, device key. */
async function runState(t: TestContext, dir: string, log: RecordingLogger): Promise<void> {
  const lock = await acquireStateLock(dir, { pid: process.pid, log, processAlive: () => false });
  t.after(() => lock.release());
  const first = await SyncState.open({ dir, clock: new FakeClock(), log, maxOutbox: 100 });
  await first.book([delta('d1'), delta('d2', 's2')], []);
  await first.deadLetter([delta('d2', 's2')], 'rejected');
  await first.close();
  const second = await SyncState.open({ dir, clock: new FakeClock(), log, maxOutbox: 100 });
  t.after(() => second.close());
  await second.book([delta('d3', 's1', 1, 2)], []);
  await loadOrCreateDeviceIdentity(dir);
}

const STATE_FILES = ['dead-letter.jsonl', 'device-identity.json', 'journal-1.log', 'lock', 'state.json'];

test('a fresh state dir is 0700 and every file in it 0600', posixOnly, async (t) => {
  const dir = join(await tempDir(t), 'state');
  const log = recordingLogger();
  await runState(t, dir, log);
  assert.equal(modeOf(dir), '0700');
  assert.deepEqual(readdirSync(dir).sort(), STATE_FILES);
  for (const name of STATE_FILES) assert.equal(modeOf(join(dir, name)), '0600', name);
  assert.deepEqual(tightenedLines(log), [], 'nothing to tighten in a fresh dir');
});

test('a state dir left readable by others is tightened on start, with one line saying so', posixOnly, async (t) => {
  const root = await tempDir(t);
  const dir = join(root, 'state');
  // What an older version left: its umask's modes (0755 dir, 0644 files), plus a file someone added by hand.
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'state.json'), '{"version":1,"generation":0,"ledger":[],"outbox":[],"memory":{},"hourly":[],"counters":{"dropped":0,"deadLettered":0,"delivered":0}}');
  chmodSync(join(dir, 'state.json'), 0o644);
  writeFileSync(join(dir, 'journal-0.log'), '');
  chmodSync(join(dir, 'journal-0.log'), 0o664);
  writeFileSync(join(dir, 'dead-letter.jsonl'), '');
  chmodSync(join(dir, 'dead-letter.jsonl'), 0o640);
  writeFileSync(join(dir, 'device-identity.json'), '{}');
  chmodSync(join(dir, 'device-identity.json'), 0o600);
  const log = recordingLogger();
  const lock = await acquireStateLock(dir, { pid: process.pid, log, processAlive: () => false });
  t.after(() => lock.release());
  assert.equal(modeOf(dir), '0700');
  for (const name of readdirSync(dir)) assert.equal(modeOf(join(dir, name)), '0600', name);
  const lines = tightenedLines(log);
  assert.equal(lines.length, 1, JSON.stringify(log.lines));
  assert.equal(lines[0]?.level, 'info');
  assert.equal(
    lines[0]!.message,
    `Tightened permissions on ${dir} (was 0755, now 0700) and 3 more files of the sync state (now 0600): only this user may read the sync state now.`,
  );
  await lock.release();
  const again = recordingLogger();
  ensurePrivateDir(dir, again);
  assert.deepEqual(again.lines, [], 'the next start has nothing to say');
});

test('the log file and its rotations are 0600, and a readable old log is tightened with one line', posixOnly, async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'logs', 'agentwatch-sync.log');
  const fresh = createLogger({ level: 'INFO', console: null, file: { path, maxBytes: 120, keep: 2 } });
  for (let i = 0; i < 6; i++) fresh.info(`line ${i} ${'x'.repeat(40)}`);
  assert.equal(modeOf(join(dir, 'logs')), '0700', 'a log folder made here is private');
  for (const p of [path, `${path}.1`, `${path}.2`]) assert.equal(modeOf(p), '0600', p);

  chmodSync(path, 0o644);
  chmodSync(`${path}.2`, 0o640);
  const out: string[] = [];
  createLogger({ level: 'INFO', console: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream, file: { path, maxBytes: 1 << 20, keep: 2 } });
  for (const p of [path, `${path}.1`, `${path}.2`]) assert.equal(modeOf(p), '0600', p);
  assert.equal(out.length, 1, out.join(''));
  assert.match(out[0]!, /\[INFO\] - Tightened permissions on .*agentwatch-sync\.log \(was 0644, now 0600\) and 1 more file of the log/);
});

test('a file that cannot be checked gets one warning, never a crash', posixOnly, async (t) => {
  const dir = await tempDir(t);
  writeFileSync(join(dir, 'plain'), '');
  const log = recordingLogger();
  // Root may chmod anything, so the failure used is one every user gets: a path through a regular file.
  ensurePrivateFiles([join(dir, 'missing.log'), join(dir, 'plain', 'agentwatch-sync.log')], log, 'log');
  assert.equal(log.lines.length, 1, JSON.stringify(log.lines));
  assert.equal(log.lines[0]?.level, 'warn');
  assert.match(log.lines[0]!.message, /^Could not restrict the log .*plain\/agentwatch-sync\.log to this user \(.*not a directory.*\); other local users may read it\./i);
});
