#!/usr/bin/env node
// `npm start`: build, then run the tray app in the local Electron. Where Electron's binary is missing (it downloads
// on first use since Electron 42), say so at once instead of failing inside electron's own loader.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './find-electron.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electron = findElectron();
if (!electron) {
  console.error(
    [
      'start: the Electron binary is not available on this machine.',
      'It is downloaded once, which needs internet access: run `npm run fetch-electron`, then `npm start` again.',
      'No desktop here? The headless CLI runs the same engine: `npm run demo`, `npm run sync -- --help`.',
    ].join('\n'),
  );
  process.exit(1);
}
const build = spawnSync(process.execPath, [resolve(repo, 'scripts/build.mjs')], { stdio: 'inherit', cwd: repo });
if (build.status !== 0) process.exit(build.status ?? 1);
const app = spawn(electron.executable, [repo, ...process.argv.slice(2)], { stdio: 'inherit', cwd: repo });
app.on('exit', (code) => process.exit(code ?? 0));
