#!/usr/bin/env node
// `npm run dist` / `npm run dist:dir`: package the tray app for this host's platform with electron-builder.
// Fails at once when no Electron binary is on this machine: electron-builder would otherwise try to download one and,
// offline, fail only after a long wait. Electron >= 42 downloads its binary lazily, so a fresh `npm ci` has none.
// Usage: node scripts/dist.mjs [--dir] [more electron-builder args, e.g. -c.electronDist=/path/to/electron/dist]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronDist } from './find-electron.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(repo, 'package.json'));

function userElectronDist(args) {
  const arg = args.find((a) => /^(-c|--config)\.electronDist=/.test(a));
  return arg ? arg.slice(arg.indexOf('=') + 1) : null;
}

function fail(message) {
  console.error(`dist: ${message}`);
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: repo, shell: process.platform === 'win32' && command === 'npm' });
  if (result.error) fail(`could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const args = process.argv.slice(2);
const given = userElectronDist(args);
const found = given ?? findElectronDist();
if (given !== null && !existsSync(given)) fail(`electronDist ${given} does not exist.`);
if (found === null) {
  fail([
    'Electron binary not available on this machine: electron-builder needs it to package the app.',
    'Run on a machine with internet access after fetching it once with `npm run fetch-electron`,',
    'or point electron-builder at an unpacked Electron 45.5.0 for this platform: npm run dist -- -c.electronDist=/path/to/electron-dist',
  ].join('\n'));
}

// Run the build through npm so `npm run build` stays the one definition of the build (npm_execpath is set under npm).
if (process.env.npm_execpath) run(process.execPath, [process.env.npm_execpath, 'run', 'build']);
else run('npm', ['run', 'build']);

const builder = [require.resolve('electron-builder/cli.js'), '--publish', 'never', ...args];
// A macOS universal build needs both the x64 and arm64 Electron, which electron-builder fetches itself; elsewhere reuse
// the local binary so packaging needs no second download.
if (given === null && process.platform !== 'darwin') builder.push(`-c.electronDist=${found}`);
run(process.execPath, builder);
