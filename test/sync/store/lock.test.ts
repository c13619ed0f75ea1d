import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isSyncError } from '../../../src/sync/errors.js';
import { acquireStateLock, isProcessAlive } from '../../../src/sync/store/lock.js';
import { recordingLogger, tempDir } from './store-test-kit.js';

const holder = (pid: number, host = hostname()) =>
  JSON.stringify({ pid, startedAt: '2025-01-01T00:00:00.000Z', host, nonce: `n-${pid}` });

test('the lock file names its holder and release removes it', async (t) => {
  const dir = await tempDir(t);
  const lock = await acquireStateLock(dir, { pid: 4242, log: recordingLogger() });
  const content = JSON.parse(await readFile(join(dir, 'lock'), 'utf8'));
  assert.equal(content.pid, 4242);
  assert.equal(content.host, hostname());
  assert.ok(!Number.isNaN(Date.parse(content.startedAt)));
  assert.deepEqual(await readdir(dir), ['lock'], 'no temp files left');
  await lock.release();
  await lock.release();
  assert.deepEqual(await readdir(dir), []);
});

test('a live holder makes a second acquire fail with LOCKED and a next step', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'lock'), holder(1234));
  await assert.rejects(acquireStateLock(dir, { pid: 99, log: recordingLogger(), processAlive: () => true }), (e) => {
    assert.ok(isSyncError(e));
    assert.equal(e.code, 'LOCKED');
    assert.equal(
      e.message,
      `Another AgentWatch Sync (pid 1234) is already using the state dir ${dir}. ` +
        'Quit it (tray or CLI) or pass a different --state-dir.',
    );
    return true;
  });
  assert.equal(await readFile(join(dir, 'lock'), 'utf8'), holder(1234), 'the holder keeps its lock');
});

test('two acquires in one process: the second is LOCKED until the first releases', async (t) => {
  const dir = await tempDir(t);
  const first = await acquireStateLock(dir, { pid: process.pid, log: recordingLogger() });
  await assert.rejects(
    acquireStateLock(dir, { pid: process.pid, log: recordingLogger() }),
    (e) => isSyncError(e) && e.code === 'LOCKED',
  );
  await first.release();
  const second = await acquireStateLock(dir, { pid: process.pid, log: recordingLogger() });
  await second.release();
});

test('a lock left by a dead process is taken over and logged', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'lock'), holder(1234));
  const log = recordingLogger();
  const lock = await acquireStateLock(dir, { pid: 77, log, processAlive: (pid) => pid !== 1234 });
  assert.equal(JSON.parse(await readFile(join(dir, 'lock'), 'utf8')).pid, 77);
  assert.match(log.lines.map((l) => l.message).join('\n'), /Took over .* from AgentWatch Sync pid 1234/);
  await lock.release();
  assert.deepEqual(await readdir(dir), []);
});

test('an unreadable lock (an interrupted start) is replaced', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'lock'), '');
  const lock = await acquireStateLock(dir, { pid: 77, log: recordingLogger(), processAlive: () => true });
  assert.equal(JSON.parse(await readFile(join(dir, 'lock'), 'utf8')).pid, 77);
  await lock.release();
});

test('a holder on another host is assumed alive', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'lock'), holder(1234, 'other-box'));
  await assert.rejects(
    acquireStateLock(dir, { pid: 77, log: recordingLogger(), processAlive: () => false }),
    (e) => isSyncError(e) && e.code === 'LOCKED' && /pid 1234 on host other-box/.test(e.message),
  );
});

test('release leaves a lock that is no longer ours alone', async (t) => {
  const dir = await tempDir(t);
  const lock = await acquireStateLock(dir, { pid: 77, log: recordingLogger() });
  await writeFile(join(dir, 'lock'), holder(5555)); // someone judged us dead and took over
  await lock.release();
  assert.equal(await readFile(join(dir, 'lock'), 'utf8'), holder(5555));
});

test('isProcessAlive tells this process from a pid that does not exist', () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(2 ** 22 + 12345), false);
});
