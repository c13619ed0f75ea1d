import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { repoRoot } from '../support/run-cli.js';

const bench = (args: string[]) => spawnSync(process.execPath, ['scripts/bench.mjs', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });

test('bench --help prints its options and measures nothing; a wrong argument is one line, exit 2', () => {
  const help = bench(['--help']);
  assert.equal(help.status, 0, help.stderr);
  for (const option of ['--quick', '--record', '--sizes', '--scenarios', '--skip-idle', '--cpu-prof', '--render-only']) assert.match(help.stdout, new RegExp(`${option}\\b`));
  assert.match(help.stdout, /without it nothing\s+is written/);
  assert.doesNotMatch(help.stdout + help.stderr, /bench: (\d+ sessions|idle|target)/, 'no benchmark started');
  assert.equal(help.error, undefined, 'it returned at once');

  const wrong = bench(['--quik']);
  assert.equal(wrong.status, 2);
  assert.equal(wrong.stderr.trim(), 'bench: unknown argument --quik. See npm run bench -- --help.');
  const missing = bench(['--sizes']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--sizes needs a value/);
});
