#!/usr/bin/env node
// `npm run bench [-- options]`: see USAGE below (or `npm run bench -- --help`).
// Builds the engine exactly as the CLI ships it (dist/bench/engine.js), starts the loopback peers in their own
// process, then measures per size: the product (a full poll through the bundle) and the floor (the fastest minimal
// script doing the same requests), every session changed each poll (the worst case); then the realistic scenarios
// (SCENARIOS: a history of sessions with a few or none changed per poll, a reconciliation after a disconnect), each
// with its own floor and a bare Node process holding one WebSocket as the RSS baseline; plus idle CPU and live
// latency. Prints pass/fail per target. Not part of `npm test`: absolute times depend on the machine and its load.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { renderBenchMarkdown, targetLines } from '../bench/render-markdown.mjs';
import { percentile, summary } from '../bench/measure.mjs';

const USAGE = `npm run bench [-- options]   the instant-server benchmark (about 10 minutes; --quick under 2)

  --quick              fewer sizes, scenarios and iterations: 50 and 1,000 sessions all-changed, 50 with one
                       changed, 10k with none changed; 30 s idle, 30 live runs
  --record             write bench/results/latest.json (plus a dated copy) and docs/bench.md; without it nothing
                       is written and the results go to stdout as JSON
  --sizes LIST         all-changed sizes, e.g. 50,1000 (default 50,1000,10000; none = skip)
  --scenarios LIST     realistic scenarios: 50-1, 10k-0%, 10k-0.25%, 10k-1%, 10k-reconcile (default all; none = skip)
  --idle-seconds N     idle-CPU measurement length (default 300)
  --live-runs N        finished runs for the live latency (default 100)
  --skip-idle, --skip-live
  --cpu-prof           write CPU profiles to bench/results/profiles/
  --render-only        rebuild docs/bench.md from the recorded results (after editing bench/findings.md)
  -h, --help           this text
`;
const KNOWN = new Set(['quick', 'record', 'no-results', 'sizes', 'scenarios', 'idle-seconds', 'live-runs', 'skip-idle', 'skip-live', 'cpu-prof', 'render-only', 'help']);
const WITH_VALUE = new Set(['sizes', 'scenarios', 'idle-seconds', 'live-runs']);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
for (let i = 0; i < args.length; i++) {
  const name = args[i].replace(/^--/, '');
  if (!args[i].startsWith('--') || !KNOWN.has(name)) {
    console.error(`bench: unknown argument ${args[i]}. See npm run bench -- --help.`);
    process.exit(2);
  }
  if (WITH_VALUE.has(name)) {
    if (args[i + 1] === undefined || args[i + 1].startsWith('--')) {
      console.error(`bench: --${name} needs a value. See npm run bench -- --help.`);
      process.exit(2);
    }
    i++;
  }
}
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = flag('quick');
const sizes = option('sizes', quick ? '50,1000' : '50,1000,10000').split(',').filter((x) => x !== '' && x !== 'none').map(Number);
const idleMs = Number(option('idle-seconds', quick ? '30' : '300')) * 1000;
const liveRuns = Number(option('live-runs', quick ? '30' : '100'));
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
// The realistic polls (issue 15): `sessions` of history, `recent` of them updated in the last 20 minutes (listed in
// the engine's 30-minute window, unchanged), `changed` finishing a run before each poll (taking turns through the
// history, so the window grows by that many rows a poll); `reconcile`: the gateway drops the connection before
// each poll for longer than two ticks, so the engine reads everything (nothing changed). PER_KEY_READS_MAX is 50:
// 25 changed take the per-key path, 100 (1 %) the all-sessions path.
const SCENARIOS = [
  { name: '50-1', sessions: 50, recent: 10, changed: 1 },
  { name: '10k-0%', sessions: 10_000, recent: 100, changed: 0 },
  { name: '10k-0.25%', sessions: 10_000, recent: 100, changed: 25 },
  { name: '10k-1%', sessions: 10_000, recent: 100, changed: 100 },
  { name: '10k-reconcile', sessions: 10_000, recent: 100, changed: 0, reconcile: true },
];
const SCENARIO_ITERATIONS = { 50: quick ? 15 : 40, 10000: quick ? 6 : 12 };
const RECONCILE_TICK_MS = 1_000;
const PER_KEY_READS_MAX = 50; // src/sync/plan-reads.ts
const SCENARIO_FLOORS = [
  { client: 'undici', pageSize: 50, inFlight: 4, usageParallel: true },
  { client: 'ws', pageSize: 50, inFlight: 4, usageParallel: true },
];

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
    ...(samples[0]?.traffic ? { usageBytesMax: Math.max(...samples.map((s) => s.traffic.usageBytes)), usageRequestsMax: Math.max(...samples.map((s) => s.traffic.usageAll + s.traffic.usageByKey)), listRequestsMax: Math.max(...samples.map((s) => s.traffic.list)) } : {}),
    // Phase timings a runner reported (p50 of each), e.g. the floor's WebSocket and POST parts.
    ...Object.fromEntries(
      Object.keys(samples[0]?.detail ?? {})
        .filter((k) => k.endsWith('Ms'))
        .map((k) => [`${k}P50`, round1(percentile(samples.map((s) => s.detail[k]), 50))]),
    ),
  };
}

async function startServers(outdir, size, shape = {}) {
  const child = spawn(process.execPath, [join(outdir, 'servers.js'), root, String(size), TOKEN, JSON.stringify(shape)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
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
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function control(url, path) {
  const res = await fetch(`${url}${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
  return res.json();
}

/** One poll of a runner, with what the gateway answered it (requests, usage bytes) taken right after. */
async function pollWith(runner, servers, msg = {}) {
  const sample = await runner.call({ cmd: 'poll', ...msg });
  return { ...sample, traffic: await control(servers.controlUrl, '/take') };
}

async function benchSize(outdir, size, cpuProf) {
  const servers = await startServers(outdir, size);
  try {
    const recordedFile = join(tmpdir(), `aw-bench-posts-${process.pid}-${size}.json`);
    const base = { gatewayUrl: servers.gatewayUrl, agentwatchUrl: servers.agentwatchUrl, controlUrl: servers.controlUrl, token: TOKEN, sessions: size, limits: LIMITS, recordedFile };
    const iterations = ITERATIONS[size] ?? 5;
    const profArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench/results/profiles')}`] : [];
    log(`bench: ${size} sessions: warming up (the first poll creates ${size} AgentWatch traces)…`);
    const product = await startRunner(join(root, 'bench/product-runner.mjs'), { ...base, mode: 'poll', engineBundle: pathToFileURL(join(outdir, 'engine.js')).href }, profArgs);
    const advance = () => control(servers.controlUrl, `/advance?limits=${LIMITS}`);
    for (let i = 0; i < 2; i++) {
      await advance();
      await product.call({ cmd: 'poll' });
    }
    const { posts } = await product.call({ cmd: 'record' });
    const variants = FLOOR_VARIANTS.filter((v) => size > v.pageSize || (v.inFlight === 1 && v.pageSize === 100) || (v.client === 'ws' && v.pageSize === 100)); // one page: paging variants are identical
    const floors = [];
    for (const v of variants) {
      const runner = await startRunner(join(root, 'bench/floor-runner.mjs'), { ...base, ...v });
      for (let i = 0; i < 2; i++) {
        await advance();
        await runner.call({ cmd: 'poll' });
      }
      floors.push({ variant: v, runner, samples: [] });
    }
    // Interleaved, so product and floor see the same background load; one change of the gateway per round, so
    // each sees every session changed since its last poll.
    const productSamples = [];
    for (let i = 0; i < iterations; i++) {
      await advance();
      productSamples.push(await pollWith(product, servers));
      for (const f of floors) f.samples.push(await pollWith(f.runner, servers));
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

async function bareBaseline(servers) {
  return runNode(join(root, 'bench/bare-ws.mjs'), [JSON.stringify({ gatewayUrl: servers.gatewayUrl, token: TOKEN, holdMs: 1000 })]);
}

/** A realistic scenario: product, its floors and the bare baseline against one gateway with a history. */
async function benchScenario(outdir, sc, cpuProf) {
  const tickMs = sc.reconcile ? RECONCILE_TICK_MS : 30_000;
  const servers = await startServers(outdir, sc.sessions, { history: { recent: sc.recent }, tickMs });
  try {
    const recordedFile = join(tmpdir(), `aw-bench-posts-${process.pid}-${sc.name.replace(/\W/g, '_')}.json`);
    const base = { gatewayUrl: servers.gatewayUrl, agentwatchUrl: servers.agentwatchUrl, controlUrl: servers.controlUrl, token: TOKEN, sessions: sc.sessions, limits: LIMITS, recordedFile };
    const iterations = SCENARIO_ITERATIONS[sc.sessions] ?? 6;
    const profArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench/results/profiles')}`, `--cpu-prof-name=product-${sc.name.replace(/\W/g, '_')}-${process.pid}.cpuprofile`] : [];
    // Before each poll: `changed` sessions finish a run (or, for a reconciliation, the connection drops and stays
    // away for more than two ticks). Returns what the poll must see: the listed rows and the deliveries.
    const advance = async () => {
      const a = await control(servers.controlUrl, `/advance?limits=${LIMITS}&changed=${sc.changed}&windows=30`);
      if (sc.reconcile) {
        await control(servers.controlUrl, '/drop');
        await pause(2.5 * tickMs);
      }
      return { sessions: a.listed, delivered: a.changed };
    };
    log(`bench: ${sc.name}: ${sc.sessions} sessions of history, ${sc.recent} recent, ${sc.reconcile ? 'reconciliation after a disconnect' : `${sc.changed} changed per poll`}: warming up…`);
    const product = await startRunner(join(root, 'bench/product-runner.mjs'), { ...base, mode: 'poll', engineBundle: pathToFileURL(join(outdir, 'engine.js')).href }, profArgs);
    // The first poll is the engine's start reconciliation: it lists every session and books the listed window's.
    const a0 = await control(servers.controlUrl, `/advance?limits=${LIMITS}&changed=0&windows=30`);
    const start = await pollWith(product, servers, { expect: { sessions: sc.sessions, delivered: a0.listed } });
    for (let i = 0; i < 2; i++) await pollWith(product, servers, { expect: await advance() });
    const { posts } = await product.call({ cmd: 'record' });
    const floors = [];
    for (const v of SCENARIO_FLOORS) {
      const runner = await startRunner(join(root, 'bench/floor-runner.mjs'), { ...base, ...v, reads: sc.reconcile ? 'reconcile' : 'changed', perKeyMax: PER_KEY_READS_MAX, activeMinutes: 30 });
      floors.push({ variant: v, runner, samples: [] });
    }
    // Warm-ups: the floors' first poll reads everything (they know no rows yet).
    for (let i = 0; i < 2; i++) {
      const expect = await advance();
      await pollWith(product, servers, { expect });
      for (const f of floors) await pollWith(f.runner, servers, { expect });
    }
    const productSamples = [];
    for (let i = 0; i < iterations; i++) {
      const expect = await advance();
      productSamples.push(await pollWith(product, servers, { expect }));
      for (const f of floors) f.samples.push(await pollWith(f.runner, servers, { expect }));
      const p = productSamples.at(-1);
      log(`bench: ${sc.name}: ${i + 1}/${iterations}: product ${p.ms.toFixed(1)} ms (${p.detail.path}: ${p.detail.reason}; ${p.traffic.usageBytes} usage bytes, stall ${p.stallMs.toFixed(1)} ms), floors ${floors.map((f) => f.samples.at(-1).ms.toFixed(1)).join(' ')} ms`);
    }
    const steady = await product.call({ cmd: 'steady' });
    const bare = await bareBaseline(servers);
    await product.call({ cmd: 'done' });
    for (const f of floors) await f.runner.call({ cmd: 'done' });
    rmSync(recordedFile, { force: true });
    const floorResults = floors.map((f) => ({ ...f.variant, ...digest(f.samples) }));
    const floor = floorResults.reduce((a, b) => (b.p50 < a.p50 ? b : a));
    const paths = [...new Set(productSamples.map((s) => s.detail.path))];
    const productResult = { ...digest(productSamples), posts, paths, reason: productSamples.at(-1).detail.reason, listedMax: Math.max(...productSamples.map((s) => s.detail.sessions)) };
    const round1 = (x) => Math.round(x * 10) / 10;
    return {
      name: sc.name, sessions: sc.sessions, recent: sc.recent, changed: sc.changed, reconcile: sc.reconcile === true,
      product: productResult, floor, floors: floorResults, ratioP50: Math.round((productResult.p50 / floor.p50) * 100) / 100,
      start: { ms: round1(start.ms), stallMs: round1(start.stallMs), rssMB: round1(start.rssMB), usageBytes: start.traffic.usageBytes },
      steadyRssMB: round1(steady.rssMB), steadyHeapUsedMB: round1(steady.heapUsedMB), bareRssMB: round1(bare.rssMB),
    };
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
const scenarioNames = option('scenarios', quick ? '50-1,10k-0%' : SCENARIOS.map((s) => s.name).join(','));
result.scenarios = [];
for (const sc of SCENARIOS.filter((s) => scenarioNames.split(',').includes(s.name))) result.scenarios.push(await benchScenario(outdir, sc, flag('cpu-prof')));
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

for (const line of targetLines(result)) log(`bench: target ${line}`);
// Recording rewrites committed files (docs/bench.md, bench/results/latest.json): only when asked.
if (!flag('record')) {
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
