#!/usr/bin/env node
// npm run bench [-- --quick] [--sizes 50,1000] [--skip-idle] [--skip-live] [--cpu-prof] [--no-results] [--render-only]
// Builds the engine exactly as the CLI ships it (dist/bench/engine.js), starts the loopback peers in their own
// process, then measures per size: the product (a full poll through the bundle) and the floor (the fastest minimal
// script doing the same requests), plus idle CPU and live latency. Writes bench/results/latest.json (and a dated
// copy) and docs/bench.md. Not part of `npm test`: absolute times depend on the machine and its load.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { renderBenchMarkdown } from '../bench/render-markdown.mjs';
import { percentile, summary } from '../bench/measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = flag('quick');
const sizes = option('sizes', '50,1000,10000').split(',').map(Number);
const idleMs = Number(option('idle-seconds', quick ? '60' : '300')) * 1000;
const liveRuns = Number(option('live-runs', '100'));
const TOKEN = 'bench-gateway-token-0123456789';
const ITERATIONS = { 50: quick ? 15 : 40, 1000: quick ? 8 : 20, 10000: quick ? 4 : 8 };
// Each tried in the same run; the fastest is the floor. (Page sizes of 100/200 with several in flight and 8 in flight
// were never faster than these on this machine.)
const FLOOR_VARIANTS = [
  { client: 'undici', pageSize: 100, inFlight: 1, usageParallel: false },
  { client: 'undici', pageSize: 50, inFlight: 4, usageParallel: true },
  { client: 'ws', pageSize: 50, inFlight: 4, usageParallel: true },
  { client: 'ws', pageSize: 100, inFlight: 4, usageParallel: true },
];
const LIMITS = [...new Set([50, 100, 200])].join(',');

function renderDocs(result) {
  const resultsDir = join(root, 'bench/results');
  const history = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json') && f !== 'latest.json')
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')));
  writeFileSync(join(root, 'docs/bench.md'), renderBenchMarkdown(result, history, readFileSync(join(root, 'bench/findings.md'), 'utf8')));
  return history;
}

// After editing bench/findings.md: docs/bench.md again from the recorded results, without measuring.
if (flag('render-only')) {
  renderDocs(JSON.parse(readFileSync(join(root, 'bench/results/latest.json'), 'utf8')));
  process.exit(0);
}

async function buildBundles(outdir) {
  // The CLI bundle's options (scripts/build.mjs, target "cli"), with the engine as the entry.
  const requireShim = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";
  const common = { bundle: true, sourcemap: false, logLevel: 'warning', legalComments: 'none', absWorkingDir: root, platform: 'node', format: 'esm', target: 'node20', banner: { js: requireShim } };
  await esbuild.build({ ...common, entryPoints: ['bench/engine-entry.ts'], outfile: join(outdir, 'engine.js') });
  await esbuild.build({ ...common, entryPoints: ['bench/bench-servers.ts'], outfile: join(outdir, 'servers.js') });
}

function runNode(script, argv, { extraArgs = [] } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...extraArgs, script, ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${out.slice(-2000)}`));
      resolvePromise(JSON.parse(out.trim().split('\n').at(-1) ?? ''));
    });
  });
}

/** A runner driven over IPC: call(msg) resolves with its answer to that one command. */
async function startRunner(script, cfg, extraArgs = []) {
  const child = spawn(process.execPath, [...extraArgs, script, JSON.stringify(cfg)], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  child.on('message', (m) => waiting.shift()?.(m));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w({ ok: false, error: `${script} exited ${code}` });
  });
  const next = () => new Promise((r) => waiting.push(r)).then((m) => (m.ok ? m.value : Promise.reject(new Error(m.error))));
  await next(); // ready
  return {
    call: (msg) => {
      const answer = next();
      child.send(msg);
      return answer;
    },
  };
}

function digest(samples) {
  const round1 = (x) => Math.round(x * 10) / 10;
  return {
    ...summary(samples.map((s) => s.ms)),
    eventLoopDelayMaxMs: round1(Math.max(...samples.map((s) => s.stallMs))),
    rssMaxMB: round1(Math.max(...samples.map((s) => s.rssMB))),
    // Phase timings a runner reported (p50 of each), e.g. the floor's WebSocket and POST parts.
    ...Object.fromEntries(
      Object.keys(samples[0]?.detail ?? {})
        .filter((k) => k.endsWith('Ms'))
        .map((k) => [`${k}P50`, round1(percentile(samples.map((s) => s.detail[k]), 50))]),
    ),
  };
}

async function startServers(outdir, size) {
  const child = spawn(process.execPath, [join(outdir, 'servers.js'), root, String(size), TOKEN], { cwd: root, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const urls = await new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolvePromise(JSON.parse(out.split('\n')[0]));
    });
    child.on('exit', (code) => reject(new Error(`bench servers exited ${code}`)));
  });
  return { ...urls, stop: () => child.kill() };
}

const log = (line) => process.stderr.write(`${line}\n`);

async function benchSize(outdir, size, cpuProf) {
  const servers = await startServers(outdir, size);
  try {
    const recordedFile = join(tmpdir(), `aw-bench-posts-${process.pid}-${size}.json`);
    const base = { gatewayUrl: servers.gatewayUrl, agentwatchUrl: servers.agentwatchUrl, controlUrl: servers.controlUrl, token: TOKEN, sessions: size, limits: LIMITS, recordedFile };
    const iterations = ITERATIONS[size] ?? 5;
    const profArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench/results/profiles')}`] : [];
    log(`bench: ${size} sessions: warming up (the first poll creates ${size} AgentWatch traces)…`);
    const product = await startRunner(join(root, 'bench/product-runner.mjs'), { ...base, mode: 'poll', engineBundle: pathToFileURL(join(outdir, 'engine.js')).href }, profArgs);
    for (let i = 0; i < 2; i++) await product.call({ cmd: 'poll' });
    const { posts } = await product.call({ cmd: 'record' });
    const variants = FLOOR_VARIANTS.filter((v) => size > v.pageSize || (v.inFlight === 1 && v.pageSize === 100) || (v.client === 'ws' && v.pageSize === 100)); // one page: paging variants are identical
    const floors = [];
    for (const v of variants) {
      const runner = await startRunner(join(root, 'bench/floor-runner.mjs'), { ...base, ...v });
      for (let i = 0; i < 2; i++) await runner.call({ cmd: 'poll' });
      floors.push({ variant: v, runner, samples: [] });
    }
    // Interleaved, so product and floor see the same background load.
    const productSamples = [];
    for (let i = 0; i < iterations; i++) {
      productSamples.push(await product.call({ cmd: 'poll' }));
      for (const f of floors) f.samples.push(await f.runner.call({ cmd: 'poll' }));
      log(`bench: ${size} sessions: ${i + 1}/${iterations}: product ${productSamples.at(-1).ms.toFixed(1)} ms, floors ${floors.map((f) => f.samples.at(-1).ms.toFixed(1)).join(' ')} ms`);
    }
    await product.call({ cmd: 'done' });
    for (const f of floors) await f.runner.call({ cmd: 'done' });
    rmSync(recordedFile, { force: true });
    const floorResults = floors.map((f) => ({ ...f.variant, ...digest(f.samples) }));
    const floor = floorResults.reduce((a, b) => (b.p50 < a.p50 ? b : a));
    const productResult = { ...digest(productSamples), posts };
    const stats = await (await fetch(`${servers.controlUrl}/stats`)).json();
    return { sessions: size, product: productResult, floor, floors: floorResults, ratioP50: Math.round((productResult.p50 / floor.p50) * 100) / 100, usageBytes: stats.usageBytes };
  } finally {
    servers.stop();
  }
}

async function benchDaemon(outdir, mode, size, extra) {
  const servers = await startServers(outdir, size);
  try {
    const cfg = { gatewayUrl: servers.gatewayUrl, agentwatchUrl: servers.agentwatchUrl, controlUrl: servers.controlUrl, token: TOKEN, sessions: size, limits: LIMITS, mode, engineBundle: pathToFileURL(join(outdir, 'engine.js')).href, ...extra };
    return await runNode(join(root, 'bench/product-runner.mjs'), [JSON.stringify(cfg)]);
  } finally {
    servers.stop();
  }
}

const outdir = join(root, 'dist/bench');
await buildBundles(outdir);
const started = new Date();
const result = {
  at: started.toISOString(),
  quick,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, loadavgAtStart: loadavg().map((x) => Math.round(x * 100) / 100) },
  sizes: [],
};
for (const size of sizes) result.sizes.push(await benchSize(outdir, size, flag('cpu-prof')));
if (!flag('skip-live')) {
  log(`bench: live latency over ${liveRuns} runs…`);
  result.live = await benchDaemon(outdir, 'live', 50, { runs: liveRuns });
  log(`bench: live p50 ${result.live.p50} ms p95 ${result.live.p95} ms`);
}
if (!flag('skip-idle')) {
  log(`bench: idle CPU over ${idleMs / 1000} s…`);
  result.idle = await benchDaemon(outdir, 'idle', 50, { idleMs });
  log(`bench: idle ${result.idle.cpuPercent} % of one core`);
}
result.machine.loadavgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);

if (flag('no-results')) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(0);
}
const resultsDir = join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const text = `${JSON.stringify(result, null, 2)}\n`;
writeFileSync(join(resultsDir, 'latest.json'), text);
writeFileSync(join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`), text);
const history = renderDocs(result);
process.stdout.write(`${renderBenchMarkdown(result, history, '').split('\n## ')[0]}\n`);
