import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionWorld } from '../../src/sim/session-world.js';
import { systemClock } from '../../src/sync/ports.js';
import { startPeers, tempDir, type Peers } from '../support/engine-kit.js';
import { runCli } from '../support/run-cli.js';
import { waitUntil } from '../sync/sinks/wait-until.js';
import { bundleCli } from './bundle-cli.js';
import { addSessions, dedupedTotals, duplicateCount, receivedEvents, worldTotals } from './delivery-kit.js';
import { startSlowProxy } from './slow-proxy.js';

interface Child {
  pid: number;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(s: NodeJS.Signals): void;
}

// A test that fails half-way must not leave a CLI running (node --test would wait for it forever).
const children = new Set<Child>();
afterEach(() => {
  for (const c of children) c.signal('SIGKILL');
});

function startCli(cli: string, args: string[]): Child {
  const env = { ...process.env, OPENCLAW_GATEWAY_TOKEN: undefined, AGENTWATCH_API_KEY: undefined };
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const started = { pid: child.pid as number, stderr: () => err, exit, signal: (s: NodeJS.Signals) => child.kill(s) };
  children.add(started);
  void exit.then(() => children.delete(started));
  return started;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function setup(sessions: number) {
  const world = new SessionWorld(systemClock);
  addSessions(world, sessions);
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir('aw-cli-life-');
  const tokenFile = join(dir.path, 'token');
  await writeFile(tokenFile, peers.token);
  const cli = await bundleCli(dir.path);
  const args = (aw: string, extra: string[]) => [
    '--sink', 'agentwatch', '--openclaw-url', peers.gateway.url, '--agentwatch-url', aw, '--token-file', tokenFile,
    '--state-dir', join(dir.path, 'state'), '--batch-size', '2', '--log-level', 'INFO', ...extra,
  ];
  return { world, peers, dir, cli, args, close: async () => { await peers.close(); await dir.remove(); } };
}

function assertExactlyOnce(peers: Peers, world: SessionWorld): void {
  const received = receivedEvents(peers.agentwatch);
  assert.equal(duplicateCount(received), 0);
  assert.deepEqual(dedupedTotals(received), worldTotals(world));
}

test('SIGTERM while AgentWatch holds an accepted batch: the delivery finishes, exit 0; a restart sends the rest exactly once', { timeout: 30_000 }, async () => {
  const s = await setup(6);
  const proxy = await startSlowProxy(s.peers.agentwatch.url, '/api/ingest');
  try {
    const child = startCli(s.cli, s.args(proxy.url, ['--poll-interval', '60', '--request-timeout', '10000']));
    await Promise.race([proxy.nextHeld(), child.exit.then(() => assert.fail(`the CLI exited early:\n${child.stderr()}`))]);
    child.signal('SIGTERM');
    await waitUntil(() => child.stderr().includes('SIGTERM received'), 10_000);
    proxy.release();
    const { code } = await child.exit;
    assert.equal(code, 0, child.stderr());
    assert.match(child.stderr(), /Starting OpenClaw→AgentWatch polling daemon\n.*Poll interval: 60s/, 'the daemon keeps the seed\'s start lines');
    assert.match(child.stderr(), /Stopped after 1 poll: 2 events delivered, 4 queued for next start/);
    assert.equal(receivedEvents(s.peers.agentwatch).length, 2, 'the batch in flight was finished, not cut');

    const restart = startCli(s.cli, s.args(s.peers.agentwatch.url, ['--once']));
    assert.equal((await restart.exit).code, 0, restart.stderr());
    assertExactlyOnce(s.peers, s.world);
  } finally {
    await proxy.close();
    await s.close();
  }
});

test('SIGTERM while AgentWatch hangs: the request is abandoned at its deadline, exit 0, nothing lost or doubled', { timeout: 30_000 }, async () => {
  const s = await setup(4);
  s.peers.agentwatch.fail({ kind: 'hang', times: 1, path: '/api/ingest' });
  try {
    const child = startCli(s.cli, s.args(s.peers.agentwatch.url, ['--poll-interval', '60', '--request-timeout', '1500']));
    await waitUntil(() => s.peers.agentwatch.requests.some((r) => r.path === '/api/ingest'), 10_000);
    child.signal('SIGTERM');
    const { code } = await child.exit;
    assert.equal(code, 0, child.stderr());
    assert.match(child.stderr(), /did not answer POST \/api\/ingest within 1500 ms/);
    assert.match(child.stderr(), /Stopped after 1 poll: 0 events delivered, 4 queued for next start/);

    const restart = startCli(s.cli, s.args(s.peers.agentwatch.url, ['--once']));
    assert.equal((await restart.exit).code, 0, restart.stderr());
    assertExactlyOnce(s.peers, s.world);
  } finally {
    await s.close();
  }
});

test('--max-errors 2 against a closed gateway port: stops after 2 failed polls with a summary, exit 1', { timeout: 30_000 }, async () => {
  const s = await setup(1);
  try {
    const port = await freePort();
    const args = s.args(s.peers.agentwatch.url, ['--poll-interval', '5', '--max-errors', '2', '--openclaw-url', `http://127.0.0.1:${port}`]);
    const child = startCli(s.cli, args);
    const { code } = await child.exit;
    const log = child.stderr();
    assert.equal(code, 1, log);
    assert.match(log, /Stopping after 2 consecutive failed polls \(max_errors=2\)\. Last error: .*refused|Is it running/);
    assert.match(log, /Stopped after 2 polls: 0 events delivered, 0 queued for next start, 2 failed polls/);
    assert.doesNotMatch(log, /\n\s+at /, 'no stack trace');
  } finally {
    await s.close();
  }
});

test('a state dir under a regular file: a clear STATE error naming the fix, exit 1, no stack trace', async () => {
  const dir = await tempDir();
  const file = join(dir.path, 'not-a-folder');
  await writeFile(file, 'x');
  try {
    const run = await runCli(['--once', '--state-dir', join(file, 'state'), '--openclaw-url', 'http://127.0.0.1:9'], { OPENCLAW_GATEWAY_TOKEN: 'abcdef0123456789' });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /\[ERROR\] - Cannot lock the state dir .*not-a-folder\/state \(ENOTDIR: part of the path is a file, not a folder\)\. Choose another --state-dir\./);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!run.stderr.includes('abcdef0123456789'));
  } finally {
    await dir.remove();
  }
});
