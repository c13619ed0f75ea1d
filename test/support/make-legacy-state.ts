// Writes test/fixtures/legacy-state: the state dir of the single-gateway CLI as released, after one --once poll of
// the legacy world, plus the AgentWatch rows it made (agentwatch-rows.json), so a test can serve them again.
//   node --import tsx test/support/make-legacy-state.ts [git-rev]   (default: HEAD; run from the repository root)
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimAgentWatch } from '../../src/sim/agentwatch-server.js';
import { startSimGateway } from '../../src/sim/gateway-server.js';
import { systemClock } from '../../src/sync/ports.js';
import { LEGACY_GATEWAY_PORT, legacyWorld, playLegacyRuns } from './legacy-world.js';
import { repoRoot } from './run-cli.js';

const rev = process.argv[2] ?? 'HEAD';
const work = await mkdtemp(join(tmpdir(), 'legacy-state-'));
const src = join(work, 'src');
await mkdir(src);
execFileSync('sh', ['-c', `git archive ${rev} src package.json tsconfig.json | tar -x -C ${src}`], { cwd: repoRoot });
await symlink(join(repoRoot, 'node_modules'), join(src, 'node_modules'));

const world = legacyWorld(systemClock);
playLegacyRuns(world);
const token = 'legacy-fixture-token-not-a-secret';
const gateway = await startSimGateway({ token, port: LEGACY_GATEWAY_PORT, sessions: () => world.rows(), usage: () => world.usagePayload() });
const agentwatch = await startSimAgentWatch();
const stateDir = join(work, 'state');
try {
  // Asynchronous: the simulators answer from this process's event loop.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--once', '--openclaw-url', gateway.url, '--agentwatch-url', agentwatch.url, '--state-dir', stateDir, '--token', token], { cwd: src, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the CLI exited ${code}`);
  const out = join(repoRoot, 'test/fixtures/legacy-state');
  await rm(out, { recursive: true, force: true });
  await cp(stateDir, join(out, 'state'), { recursive: true, filter: (p) => !p.endsWith('/lock') });
  await writeFile(join(out, 'agentwatch-rows.json'), `${JSON.stringify({ agents: agentwatch.agents, traces: agentwatch.traces }, null, 2)}\n`);
  process.stdout.write(`wrote ${out} (from ${rev}: ${execFileSync('git', ['rev-parse', '--short', rev], { cwd: repoRoot, encoding: 'utf8' }).trim()})\n`);
} finally {
  await gateway.close();
  await agentwatch.close();
  await rm(work, { recursive: true, force: true });
}
