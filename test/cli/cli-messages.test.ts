import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliOptions } from '../../src/cli/cli-options.js';
import { repoRoot, runCli } from '../support/run-cli.js';

/** Exit 2 and exactly one stderr line, in the product's voice (never Node's parser wording). */
async function usageError(args: string[]): Promise<string> {
  const run = await runCli(args);
  assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /positional argument|ambiguous|argument missing|-XYZ/);
  return lines[0]!;
}

test('argument mistakes are one line each, exit 2, with a suggestion for a near miss', async () => {
  assert.equal(await usageError(['--pol-interval', '5']), 'agentwatch-sync: Unknown option --pol-interval. Did you mean --poll-interval? See --help.');
  assert.equal(await usageError(['--bogus-flag']), 'agentwatch-sync: Unknown option --bogus-flag. See --help.');
  assert.equal(await usageError(['--poll-interval']), 'agentwatch-sync: --poll-interval needs a value (SEC): seconds between polls, 5..86400 (default 30).');
  assert.match(await usageError(['--poll-interval', '--once']), /^agentwatch-sync: --poll-interval needs a value \(SEC\)/);
  assert.equal(await usageError(['--once=yes']), 'agentwatch-sync: --once takes no value (got --once=yes). See --help.');
  assert.match(await usageError(['demon']), /Unknown command "demon"\. Did you mean demo\?/);
});

test('each URL setting answers with its own example', async () => {
  assert.match(await usageError(['--agentwatch-url', 'ftp://x', '--once']), /agentwatchUrl \(--agentwatch-url\): .*e\.g\. http:\/\/localhost:8765$/);
  assert.match(await usageError(['--openclaw-url', 'ftp://x', '--once']), /e\.g\. http:\/\/127\.0\.0\.1:18789$/);
  assert.match(await usageError(['--otlp-url', 'x', '--sink', 'otlp', '--once']), /e\.g\. http:\/\/127\.0\.0\.1:4318$/);
});

test('every option the parser accepts is in --help and in the docs', async () => {
  const help = (await runCli(['--help'])).stdout;
  const docs = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))]
    .map((f) => readFileSync(join(repoRoot, f), 'utf8'))
    .join('\n');
  const options = cliOptions();
  assert.ok(options.length > 30, 'the parser list is the real one');
  for (const o of options) {
    const flag = new RegExp(`--${o.name}(?![\\w-])`);
    assert.match(help, flag, `--help lists --${o.name}`);
    assert.match(docs, flag, `the docs list --${o.name}`);
  }
});
