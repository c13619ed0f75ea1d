import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoWorld } from '../../src/sim/demo-world.js';
import { systemClock } from '../../src/sync/ports.js';
import { receivedBySession, startPeers, tempDir } from '../support/engine-kit.js';
import { runCli } from '../support/run-cli.js';

test('--help documents the seed flags and warns that --token is visible in ps', async () => {
  const run = await runCli(['--help']);
  assert.equal(run.code, 0);
  for (const flag of ['--openclaw-url', '--agentwatch-url', '--poll-interval', '--log-level', '--once', '--sink', '--token-file', '--state-dir', '--config', '--log-file']) {
    assert.ok(run.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(run.stdout, /--token TOKEN .*visible to other users in `ps`/);
});

test('an invalid flag value is a one-line error naming the setting, exit 2', async () => {
  const run = await runCli(['--poll-interval', '2', '--once']);
  assert.equal(run.code, 2);
  assert.equal(run.stderr.trim().split('\n').length, 1);
  assert.match(run.stderr, /Invalid setting pollIntervalSec \(--poll-interval\): .*5/);
});

test('a bad URL and an unknown sink name their settings', async () => {
  const url = await runCli(['--openclaw-url', 'ftp://x', '--once']);
  assert.equal(url.code, 2);
  assert.match(url.stderr, /openclawUrl \(--openclaw-url\): must be an http:\/\/ or https:\/\/ URL/);
  const sink = await runCli(['--sink', 'kafka', '--once']);
  assert.equal(sink.code, 2);
  assert.match(sink.stderr, /Invalid setting sink \(--sink\)/);
});

test('a config file that holds a token is refused: configs name token files', async () => {
  const dir = await tempDir();
  const config = join(dir.path, 'sync.json5');
  await writeFile(config, "{ openclawUrl: 'http://127.0.0.1:1', token: 'abcdefgh12345678' }");
  const run = await runCli(['--config', config, '--once']);
  await dir.remove();
  assert.equal(run.code, 2);
  assert.match(run.stderr, /holds "token": config files name a secret file \(tokenFile \/ apiKeyFile\)/);
  assert.ok(!run.stderr.includes('abcdefgh12345678'));
});

test('--once with a token file delivers every synced session exactly, logs the seed lines, hides the token', async () => {
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 2_000 + i, 20 + i));
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  const tokenFile = join(dir.path, 'token');
  await writeFile(tokenFile, `${peers.token}\n`);
  try {
    const run = await runCli(['--once', '--openclaw-url', peers.gateway.url, '--agentwatch-url', peers.agentwatch.url, '--token-file', tokenFile, '--state-dir', join(dir.path, 'state'), '--log-level', 'DEBUG']);
    assert.equal(run.code, 0, run.stderr);
    const log = run.stderr;
    assert.match(log, /\[INFO\] - Starting one OpenClaw→AgentWatch poll \(--once\)/);
    assert.doesNotMatch(log, /polling daemon|Poll interval/, '--once is not a daemon');
    assert.match(log, /\[INFO\] - {3}AgentWatch URL: http:/);
    assert.match(log, /\[INFO\] - Poll #1: 6 sessions → 5 events \(\d+\.\d\ds\)/);
    assert.match(log, /\[INFO\] - ✓ Ingested 5 events \(total: 5\)/);
    assert.match(log, /\[DEBUG\] - skip agent:main:cron:nightly-digest \(classification=cron\)/);
    assert.ok(!log.includes(peers.token) && !run.stdout.includes(peers.token), 'token never printed');
    const usage = world.usagePayload() as { sessions: Array<{ key: string; usage: { input: number; output: number } }> };
    const got = receivedBySession(peers.agentwatch);
    assert.equal(got.size, 5);
    for (const row of usage.sessions.filter((r) => !r.key.includes(':cron:'))) {
      assert.equal(got.get(row.key)?.input, row.usage.input, row.key);
      assert.equal(got.get(row.key)?.output, row.usage.output, row.key);
    }
  } finally {
    await peers.close();
    await dir.remove();
  }
});

test('--once with a wrong token exits 1 with the AUTH message and without the token', async () => {
  const world = demoWorld(systemClock);
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  const wrong = 'deadbeef'.repeat(5);
  try {
    const run = await runCli(['--once', '--openclaw-url', peers.gateway.url, '--agentwatch-url', peers.agentwatch.url, '--state-dir', dir.path], { OPENCLAW_GATEWAY_TOKEN: wrong });
    assert.equal(run.code, 1);
    assert.equal(run.stderr.match(/rejected the token/g)?.length, 1, `the failure is told once:\n${run.stderr}`);
    assert.match(run.stderr, /--once: the poll failed, exit code 1/);
    assert.doesNotMatch(run.stderr, /in Settings/, 'the CLI has no Settings window');
    assert.ok(!run.stderr.includes(wrong));
  } finally {
    await peers.close();
    await dir.remove();
  }
});

test('no token anywhere: exit 2 telling where it looked', async () => {
  const dir = await tempDir();
  const run = await runCli(['--once', '--state-dir', dir.path], { HOME: dir.path });
  await dir.remove();
  assert.equal(run.code, 2);
  assert.match(run.stderr, /No OpenClaw gateway token found/);
});

test('demo runs the whole pipe and ends with an exact match', async () => {
  const run = await runCli(['demo', '--polls', '2']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Poll #1: 6 sessions → 5 events/);
  assert.match(run.stderr, /Live: \d+ finished runs? → \d+ events?/);
  assert.match(run.stderr, /→ exact match/);
});

test('demo --sink jsonl shows the exact events on stdout with no server; otlp and seed end in an exact match too', async () => {
  const run = await runCli(['demo', '--polls', '2', '--sink', 'jsonl']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /events to JSON lines on stdout/);
  const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event_id: string; input_tokens: number; output_tokens: number });
  assert.ok(events.length >= 5, run.stdout);
  assert.equal(new Set(events.map((e) => e.event_id)).size, events.length, 'each event once');
  const tokens = events.reduce((n, e) => n + e.input_tokens + e.output_tokens, 0);
  const done = /OpenClaw \(synced sessions\): ([\d,]+) tokens .* → exact match/.exec(run.stderr);
  assert.ok(done, run.stderr);
  assert.equal(tokens, Number(done[1]!.replaceAll(',', '')), 'the lines on stdout carry exactly the gateway\'s tokens');
  for (const sink of ['otlp', 'seed']) {
    const other = await runCli(['demo', '--polls', '2', '--sink', sink]);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stderr, /→ exact match/, sink);
  }
});

test('--filter replaces the rules: only what the expression keeps is delivered, DEBUG names the deciding clause', async () => {
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 2_000 + i, 20 + i));
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir();
  const tokenFile = join(dir.path, 'token');
  await writeFile(tokenFile, peers.token);
  try {
    const run = await runCli(['--once', '--openclaw-url', peers.gateway.url, '--agentwatch-url', peers.agentwatch.url, '--token-file', tokenFile, '--state-dir', join(dir.path, 'state'), '--log-level', 'DEBUG', '--filter', 'classification in (main) and not agentId = "ops"']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual([...receivedBySession(peers.agentwatch).keys()], ['agent:main:main']);
    assert.match(run.stderr, /skip agent:ops:main \(not agentId = "ops" \(agentId = "ops": agentId=ops\)\)/);
    assert.match(run.stderr, /skip agent:main:subagent:gh-taskmaster-22 \(classification=subagent\)/);
  } finally {
    await peers.close();
    await dir.remove();
  }
});

test('a filter syntax error is exit 2 with the column', async () => {
  const run = await runCli(['--once', '--filter', 'tokens >= ten']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Invalid setting filter.expression \(--filter\): "tokens" compares with a number like 10 \(column 11\)/);
});

test('backfill prints progress and a summary; a bad day is exit 2', async () => {
  const bad = await runCli(['backfill', '--since', '2026-13-01']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--since takes a UTC day as YYYY-MM-DD/);
  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 2_000 + i, 20 + i));
  const peers = await startPeers({ sessions: () => world.rows(), usage: (p) => world.usagePayload(p) });
  const dir = await tempDir();
  const tokenFile = join(dir.path, 'token');
  await writeFile(tokenFile, peers.token);
  try {
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const run = await runCli(['backfill', '--since', since, '--openclaw-url', peers.gateway.url, '--agentwatch-url', peers.agentwatch.url, '--token-file', tokenFile, '--state-dir', join(dir.path, 'state')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Backfill: 5 events delivered \(outbox 0 left\)/);
    assert.match(run.stderr, /Backfill done: 5 sessions with usage in the window → 5 new events, 5 delivered/);
  } finally {
    await peers.close();
    await dir.remove();
  }
});
