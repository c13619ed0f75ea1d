import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { repoRoot } from '../support/run-cli.js';

test('the runner ends with what did not run, grouped by reason, each with its remedy', () => {
  const run = spawnSync(process.execPath, ['scripts/test.mjs', 'test/build/fixtures/runner/skips.test.ts'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: undefined, NODE_TEST_CONTEXT: undefined } });
  assert.equal(run.status, 0, run.stderr);
  const tail = run.stdout.slice(run.stdout.lastIndexOf('Did not run'));
  assert.match(tail, /^Did not run \(2 skipped entries;/);
  assert.match(tail, /1 suite in test\/build\/fixtures\/runner\/skips\.test\.ts\n {4}the thing is missing: run `make thing` first/);
  assert.match(tail, /1 test in test\/build\/fixtures\/runner\/skips\.test\.ts\n {4}no other thing: apt-get install other-thing/);
});
