import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { build } from '../../scripts/build.mjs';
import { REPO_ROOT } from '../build/build-into.js';

/** The Electron binary if this machine has one; never require('electron'), which starts a download. */
function findElectron(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const exe = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8'));
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

function skipReason(exe: string | null): string | false {
  if (!exe) return 'Electron binary not available (node_modules/electron has no dist/ binary: it downloads on first use, and this machine is offline)';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return 'no display for Electron: run under xvfb-run';
  return false;
}

const exe = findElectron();

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
