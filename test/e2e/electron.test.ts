import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { build } from '../../scripts/build.mjs';
import { findElectron } from '../../scripts/find-electron.mjs';
import { REPO_ROOT } from '../build/build-into.js';

function skipReason(exe: string | null): string | false {
  if (!exe) return 'Electron binary not available (node_modules/electron has no dist/ binary: it downloads on first use, and this machine is offline; the GitHub CI workflow runs this suite)';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return 'no display for Electron: run under xvfb-run';
  return false;
}

const exe = findElectron()?.executable ?? null;

test('the app starts in real Electron, opens a locked-down settings window and quits cleanly', { skip: skipReason(exe), timeout: 60_000 }, async () => {
  await build(); // the app loads dist/ from its app path (the repo root)
  const userData = mkdtempSync(join(tmpdir(), 'agentwatch-e2e-'));
  const app = await _electron.launch({ executablePath: exe!, args: [REPO_ROOT, `--user-data-dir=${userData}`] });
  try {
    // First run has no gateway token, so the app opens the settings window itself.
    const win = await app.firstWindow();
    await win.waitForSelector('body[data-ready="true"]');
    assert.equal(await win.title(), 'AgentWatch Sync — Settings');
    assert.equal(await win.evaluate('typeof window.agentwatch.saveSettings'), 'function');
    assert.equal(await win.evaluate('typeof require'), 'undefined', 'no Node integration');
    assert.equal(await win.evaluate('"ipcRenderer" in window.agentwatch'), false);
    assert.match((await win.getAttribute('#f-token', 'placeholder')) ?? '', /not set/);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
