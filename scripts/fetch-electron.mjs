#!/usr/bin/env node
// `npm run fetch-electron`: downloads the Electron binary once (what `npx install-electron` does), telling in one line
// what went wrong instead of @electron/get's stack trace when there is no internet or the mirror refuses.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './find-electron.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(repo, 'package.json'));

if (findElectron()) {
  console.log(`fetch-electron: Electron is already here (${findElectron().executable}).`);
  process.exit(0);
}
const { version } = require('electron/package.json');
const install = require.resolve('electron/install.js');
const run = spawnSync(process.execPath, [install], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
if (run.status === 0 && findElectron()) {
  console.log(`fetch-electron: Electron ${version} is installed; \`npm start\` runs the tray app.`);
  process.exit(0);
}
const why = /ENOTFOUND|EAI_AGAIN|fetch failed|ECONNREFUSED|ETIMEDOUT|getaddrinfo/.test(run.stderr)
  ? 'no internet connection to github.com (or to ELECTRON_MIRROR)'
  : (run.stderr.split('\n').find((l) => /error|Error/.test(l) && !/^\s+at /.test(l)) ?? `exit ${run.status}`).trim();
console.error(
  `fetch-electron: could not download Electron ${version}: ${why}. It needs internet access once (or ELECTRON_MIRROR / ` +
    'ELECTRON_CUSTOM_DIR for a mirror). Without a desktop, the CLI runs the same engine: `npm run demo`.',
);
process.exit(1);
