import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ENV_SETTINGS } from '../../src/cli/load-settings.js';
import { buildIntoTemp, REPO_ROOT } from '../build/build-into.js';
import { expand, parseDockerfile, resolveFromArgs, type DockerInstruction } from '../support/dockerfile.js';

const run = promisify(execFile);
const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const all = parseDockerfile(text);
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

/** Instructions per stage, keyed by the FROM's `AS name`. */
function stages(): Map<string, { from: string; body: DockerInstruction[] }> {
  const args = resolveFromArgs(all);
  const out = new Map<string, { from: string; body: DockerInstruction[] }>();
  let current: DockerInstruction[] | null = null;
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      assert.ok(m, `FROM line ${ins.line}`);
      current = [];
      out.set(m[2] ?? `stage${out.size}`, { from: expand(m[1]!, args), body: current });
    } else if (current) current.push(ins);
  }
  return out;
}

const runtime = [...stages().values()].at(-1)!;
const only = (keyword: string) => runtime.body.filter((i) => i.keyword === keyword);
const envOf = (body: DockerInstruction[]) =>
  new Map(body.filter((i) => i.keyword === 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!] as const)));

test('the Dockerfile parses into a build stage and a runtime stage on one pinned Node LTS base', () => {
  const s = stages();
  assert.deepEqual([...s.keys()], ['build', 'runtime']);
  for (const { from } of s.values()) {
    const m = /^node:(\d+)\.(\d+)\.(\d+)-bookworm-slim(@sha256:[0-9a-f]{64})?$/.exec(from);
    assert.ok(m, `base image ${from} is pinned to an exact node version`);
    assert.equal(Number(m[1]) % 2, 0, 'an even major: an LTS line');
    const [minMajor, minMinor] = /(\d+)\.(\d+)/.exec(pkg.engines.node)!.slice(1).map(Number) as [number, number];
    assert.ok(Number(m[1]) > minMajor || (Number(m[1]) === minMajor && Number(m[2]) >= minMinor), `${from} satisfies engines ${pkg.engines.node}`);
  }
  assert.equal(new Set([...s.values()].map((x) => x.from)).size, 1, 'both stages share the base');
  const build = s.get('build')!.body.map((i) => `${i.keyword} ${i.args}`);
  assert.ok(build.some((l) => /^RUN npm ci\b/.test(l)), 'npm ci from the lockfile');
  assert.ok(build.includes('RUN npm run build'));
});

test('the runtime stage runs as a numeric non-root user and keeps state in a volume', () => {
  const users = only('USER');
  assert.equal(users.length, 1);
  const [uid, gid] = users[0]!.args.split(':');
  assert.match(uid!, /^\d+$/, 'numeric, so Kubernetes runAsNonRoot can verify it');
  assert.notEqual(Number(uid), 0);
  assert.notEqual(Number(gid ?? uid), 0);
  const lastRun = runtime.body.findLastIndex((i) => i.keyword === 'RUN');
  assert.ok(runtime.body.indexOf(users[0]!) > lastRun, 'nothing runs as root after USER');
  const volume = only('VOLUME')[0]?.exec ?? [];
  const env = envOf(runtime.body);
  assert.deepEqual(volume, [env.get('AGENTWATCH_SYNC_STATE_DIR')]);
  assert.equal(volume[0], '/var/lib/agentwatch-sync');
});

test('every AGENTWATCH_SYNC_* variable the image sets is one the CLI reads', () => {
  const env = envOf(runtime.body);
  const known = new Set([...Object.keys(ENV_SETTINGS), 'AGENTWATCH_SYNC_STATE_DIR', 'AGENTWATCH_SYNC_CONFIG']);
  const ours = [...env.keys()].filter((k) => k.startsWith('AGENTWATCH_SYNC_'));
  assert.ok(ours.length >= 3);
  for (const k of ours) assert.ok(known.has(k), `${k} is read by src/cli/load-settings.ts`);
  assert.equal(env.get('AGENTWATCH_SYNC_METRICS_HOST'), '0.0.0.0', 'published ports and probes need more than loopback');
});

test('HEALTHCHECK asks /healthz on the exposed metrics port and its script really exits 0 on 200 and 1 on 503', async () => {
  const hc = only('HEALTHCHECK');
  assert.equal(hc.length, 1);
  const exec = hc[0]!.exec;
  assert.ok(exec && exec[0] === 'node' && exec[1] === '-e', 'exec form, Node only (no curl in slim images)');
  const script = exec[2]!;
  assert.match(script, /\/healthz/);
  const exposed = only('EXPOSE')[0]!.args;
  assert.equal(envOf(runtime.body).get('AGENTWATCH_SYNC_METRICS_PORT'), exposed);
  let status = 200;
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? status : 404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = String((server.address() as AddressInfo).port);
  try {
    const ok = await run(process.execPath, ['-e', script], { env: { ...process.env, AGENTWATCH_SYNC_METRICS_PORT: port } }).then(() => 0, (e: { code: number }) => e.code);
    status = 503;
    const degraded = await run(process.execPath, ['-e', script], { env: { ...process.env, AGENTWATCH_SYNC_METRICS_PORT: port } }).then(() => 0, (e: { code: number }) => e.code);
    assert.deepEqual([ok, degraded], [0, 1]);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('ENTRYPOINT runs a file the build produces, and the runtime file set alone runs the CLI', async () => {
  const entry = only('ENTRYPOINT')[0]?.exec;
  assert.deepEqual(entry?.slice(0, 1), ['node']);
  const target = entry![1]!;
  const copies = only('COPY')
    .map((c) => /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(c.args))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ stage: m[1]!, src: m[2]!, dest: posix.resolve('/app', m[3]!) }));
  const copy = copies.find((c) => c.dest === target);
  assert.ok(copy, `${target} is copied from the build stage`);
  const buildWorkdir = stages().get(copy.stage)!.body.find((i) => i.keyword === 'WORKDIR')!.args;
  const produced = posix.relative(buildWorkdir, copy.src);
  assert.equal(produced, 'dist/cli/main.js');
  const { dir } = await buildIntoTemp();
  const app = mkdtempSync(join(tmpdir(), 'aw-image-'));
  try {
    assert.ok(existsSync(join(dir, 'cli/main.js')), 'scripts/build.mjs writes dist/cli/main.js');
    // Recreate the runtime stage's /app from its COPY lines only: no node_modules, no sources.
    for (const c of copies) {
      const from = posix.relative(buildWorkdir, c.src);
      const source = from === 'package.json' ? join(REPO_ROOT, 'package.json') : join(dir, posix.relative('dist', from));
      const dest = join(app, posix.relative('/app', c.dest));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(source, dest);
    }
    const version = await run(process.execPath, [join(app, 'dist/cli/main.js'), '--version'], { cwd: app });
    assert.equal(version.stdout.trim(), pkg.version);
    const help = await run(process.execPath, [join(app, 'dist/cli/main.js'), ...(only('CMD')[0]?.exec ?? []), '--help'], { cwd: app });
    assert.match(help.stdout, /--metrics-host/);
  } finally {
    rmSync(app, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('.dockerignore keeps the context small but never hides what the build COPYs', () => {
  const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const heavy of ['node_modules', 'dist', '.git']) assert.ok(ignored.includes(heavy), `${heavy} is ignored`);
  const build = stages().get('build')!.body.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'));
  const needed = build.flatMap((c) => c.args.split(/\s+/).slice(0, -1));
  assert.deepEqual(needed.sort(), ['package-lock.json', 'package.json', 'scripts', 'src', 'tsconfig.json']);
  for (const n of needed) assert.ok(!ignored.includes(n) && !ignored.includes(`/${n}`), `${n} is in the build context`);
});
