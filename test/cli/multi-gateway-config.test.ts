import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCliArgs, UsageError } from '../../src/cli/cli-args.js';
import { loadGateways } from '../../src/cli/load-gateways.js';
import { tempDir } from '../support/engine-kit.js';
import { runCli, type CliRun } from '../support/run-cli.js';

/** The run failed with exit 2 and said so in exactly one line (no stack trace), matching `pattern`. */
function assertOneLine(run: CliRun, pattern: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  const problems = run.stderr.split('\n').filter((l) => /agentwatch-sync: |\[ERROR\]/.test(l));
  assert.equal(problems.length, 1, run.stderr);
  assert.match(problems[0]!, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

test('a bad "gateways" list is refused with one message that names the entry and the fix', async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const config = join(dir.path, 'sync.json5');
  const cases: Array<[string, RegExp, string[]?]> = [
    ["{ gateways: 'http://vps:18789' }", /^"gateways" in .* must be a non-empty list of \{ url, tokenFile, name \}\.$/],
    ['{ gateways: [] }', /must be a non-empty list/],
    ["{ gateways: [{ url: 'http://a:1', token: 'hunter2hunter2' }] }", /^gateways\[0\] in .* holds "token": name the file that holds it \(tokenFile\), never the token itself\.$/],
    ["{ gateways: [{ url: 'ws://a:1' }] }", /^gateways\[0\] in .*\.url: must be an http:\/\/ or https:\/\/ URL/],
    ["{ gateways: [{ url: 'http://a:1', tokenfile: '/x' }] }", /^gateways\[0\] in .* has an unknown field "tokenfile" \(known: url, tokenFile, name\)\.$/],
    ["{ gateways: [{ url: 'http://a:1' }, { url: 'http://A:1/' }] }", /^gateways\[0\] and gateways\[1\] in .* are the same gateway \(a:1\): list each gateway once\.$/],
    ["{ gateways: [{ url: 'http://a:1', name: 'vps' }, { url: 'http://b:1', name: 'VPS' }] }", /are both named "VPS": give each gateway its own name/],
    ["{ gateways: [{ url: 'http://a:1', name: '' }] }", /^gateways\[0\] in .*\.name: must not be empty\.$/],
    ["{ gateways: [{ url: 'http://a:1' }] }", /^--openclaw-url names one gateway, but .* lists "gateways"/, ['--openclaw-url', 'http://b:2']],
    ["{ gateways: [{ url: 'http://a:1' }] }", /^--token-file names one gateway/, ['--token-file', '/t']],
    ["{ openclawUrl: 'http://old:1', gateways: [{ url: 'http://a:1' }] }", /sets both "openclawUrl" and "gateways": move that URL into the list as \{ url: 'http:\/\/old:1' \} and drop openclawUrl\.$/],
  ];
  for (const [text, pattern, args = []] of cases) {
    await writeFile(config, text);
    await assert.rejects(loadGateways(parseCliArgs([...args, '--config', config]).values, {}), (e: Error) => {
      assert.ok(e instanceof UsageError, text);
      assert.match(e.message, pattern, text);
      assert.ok(!e.message.includes('\n') && !e.message.includes('hunter2hunter2'), 'one line, no secret');
      return true;
    });
  }
  await writeFile(config, "{ gateways: [{ url: 'http://a:1' }] }");
  await assert.rejects(loadGateways(parseCliArgs(['--config', config]).values, { AGENTWATCH_SYNC_OPENCLAW_URL: 'http://b:2' }), /^Error: AGENTWATCH_SYNC_OPENCLAW_URL names one gateway/);
  await writeFile(config, "{ openclawUrl: 'http://b:2' }");
  assert.equal(await loadGateways(parseCliArgs(['--config', config]).values, {}), undefined, 'no list: the single-gateway mode');
});

test('through the CLI, a bad gateway setup is one line and exit 2, the token never shown', async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const config = join(dir.path, 'sync.json5');
  const token = join(dir.path, 'token');
  await writeFile(token, 'abcdefgh12345678abcdefgh');
  const run = async (text: string, args: string[] = ['--once']) => {
    await writeFile(config, text);
    return runCli([...args, '--config', config, '--state-dir', join(dir.path, 'state')]);
  };
  const cases: Array<[string, RegExp, string[]?]> = [
    ["{ gateways: [{ url: 'http://a:1', token: 'hunter2hunter2' }] }", /holds "token": name the file/],
    ["{ gateways: [{ url: 'http://a:1' }] }", /backfill reads one gateway/, ['backfill']],
    [`{ metricsPort: 9464, gateways: [{ url: 'http://a:1', tokenFile: '${token}' }] }`, /metricsPort serves one gateway and cannot be used with "gateways" yet/],
    [`{ gateways: [{ url: 'http://a:1', tokenFile: '${token}' }, { url: 'http://b:1', name: 'vps', tokenFile: '${join(dir.path, 'missing')}' }] }`, /Gateway vps: Cannot read the gateway token file .*missing/],
  ];
  for (const [text, pattern, args] of cases) {
    const r = await run(text, args);
    assertOneLine(r, pattern);
    assert.ok(!r.stderr.includes('hunter2hunter2') && !r.stderr.includes('abcdefgh12345678'), 'no secret in the message');
  }
});

test('a damaged gateway list in the state dir is one line naming the file, not a crash', async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const state = join(dir.path, 'state');
  await mkdir(state);
  await writeFile(join(state, 'gateways.json'), '{"version":1,"gateways":[{"id":"not-a-uuid"}]}');
  const config = join(dir.path, 'sync.json5');
  await writeFile(config, "{ gateways: [{ url: 'http://127.0.0.1:1' }] }");
  const run = await runCli(['--once', '--config', config, '--state-dir', state]);
  assertOneLine(run, /The gateway list .*gateways\.json is damaged \(gateways\.0\.id: .*\): restore it from a backup or move it aside/);
});
