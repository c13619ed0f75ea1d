import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from './packaging-kit.js';

// ELECTRON_OVERRIDE_DIST_PATH is electron's own override; an empty folder makes "no binary" hold on any machine.
const emptyDist = mkdtempSync(join(tmpdir(), 'aw-no-electron-'));
after(() => rmSync(emptyDist, { recursive: true, force: true }));

for (const script of ['dist', 'dist:dir']) {
  test(`npm run ${script} without an Electron binary fails at once with the remedy`, () => {
    const started = performance.now();
    const r = spawnSync('npm', ['run', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
      shell: process.platform === 'win32',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: emptyDist },
    });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.signal, null, 'npm run dist hung until the timeout');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Electron binary not available on this machine: electron-builder needs it/);
    assert.match(r.stderr, /electronDist/);
    assert.doesNotMatch(r.stdout + r.stderr, /build: |electron-builder {2}version/, 'it must stop before building');
    assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);
  });
}

test('an electronDist that does not exist is named in the error', () => {
  const missing = join(emptyDist, 'nope');
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'dist.mjs'), '--dir', `-c.electronDist=${missing}`], {
    cwd: repoRoot, encoding: 'utf8', timeout: 30_000,
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`electronDist ${missing.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} does not exist`));
});
