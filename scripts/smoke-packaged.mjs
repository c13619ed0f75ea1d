#!/usr/bin/env node
// `node scripts/smoke-packaged.mjs`: launches the unpacked app electron-builder left in release/ (npm run dist:dir, or
// a full dist) with --smoke-test: it must start, load its settings window and quit 0 within the deadline. CI runs it
// on each OS before anything is published. On Linux without a display, run it under xvfb-run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEADLINE_MS = 90_000;

/** Where electron-builder puts the unpacked app's binary for `platform` (productName / executableName in electron-builder.yml). */
export function unpackedBinaries(platform, releaseDir = join(repo, 'release')) {
  if (platform === 'darwin') {
    return ['mac-universal', 'mac-arm64', 'mac'].map((d) => join(releaseDir, d, 'AgentWatch Live Sync.app', 'Contents', 'MacOS', 'AgentWatch Live Sync'));
  }
  if (platform === 'win32') return [join(releaseDir, 'win-unpacked', 'AgentWatch Live Sync.exe')];
  return [join(releaseDir, 'linux-unpacked', 'agentwatch-live-sync')];
}

if (process.argv[1]?.endsWith('smoke-packaged.mjs')) {
  const exe = unpackedBinaries(process.platform).find((p) => existsSync(p));
  if (!exe) {
    console.error(`smoke-packaged: no unpacked app in release/ (looked for ${unpackedBinaries(process.platform).join(', ')}); run npm run dist:dir first.`);
    process.exit(1);
  }
  const userData = mkdtempSync(join(tmpdir(), 'agentwatch-smoke-'));
  const child = spawn(exe, ['--smoke-test', `--user-data-dir=${userData}`], { stdio: 'inherit' });
  const timer = setTimeout(() => {
    console.error(`smoke-packaged: ${exe} did not quit within ${DEADLINE_MS / 1000} s`);
    child.kill('SIGKILL');
  }, DEADLINE_MS);
  child.on('exit', (code, signal) => {
    clearTimeout(timer);
    rmSync(userData, { recursive: true, force: true });
    if (code === 0) console.log(`smoke-packaged: ${exe} started, loaded its window and quit 0.`);
    else console.error(`smoke-packaged: ${exe} ended with ${signal ?? `exit code ${code}`} (see its log above).`);
    process.exit(code === 0 ? 0 : 1);
  });
}
