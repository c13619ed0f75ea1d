import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { findElectron } from '../../scripts/find-electron.mjs';
import { repoRoot } from '../support/run-cli.js';

const here = findElectron() !== null;
const node = (script: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });

test('npm start without the Electron binary says what is missing and what to run, no stack trace', { skip: here ? 'Electron is installed here' : false }, () => {
  const run = node('scripts/start.mjs');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /Electron binary is not available/);
  assert.match(run.stderr, /needs internet access: run `npm run fetch-electron`/);
  assert.match(run.stderr, /`npm run demo`/);
  assert.doesNotMatch(run.stderr, /^\s+at /m);
});

test('fetch-electron that cannot reach its mirror fails in one line naming the cause', { skip: here ? 'Electron is installed here' : false }, () => {
  // A closed loopback port as the mirror: the same failure as no internet, on any machine.
  const run = node('scripts/fetch-electron.mjs', { ELECTRON_MIRROR: 'http://127.0.0.1:9/' });
  assert.equal(run.status, 1, run.stdout);
  const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('fetch-electron:'));
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /could not download Electron \d+\.\d+\.\d+: no internet connection to github\.com \(or to ELECTRON_MIRROR\)/);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no upstream stack trace');
});
