// Paired A/B of the product between checkouts: each tree's own product runner and engine bundle poll in turn
// against one set of bench servers (built from SERVERS, default the first tree), every session changed before each
// round, the order alternating per round. The ratio is taken poll by poll, so background load cancels out (the
// product ÷ floor ratios of `npm run bench` drift by ±30 % under load; these paired ratios do not).
//   git worktree add /tmp/before <rev> && (cd /tmp/before && npm ci)
//   node bench/compare-trees.mjs 1000 30 /tmp/before .
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [sizeArg, itersArg, ...treeArgs] = process.argv.slice(2);
if (!sizeArg || !itersArg || treeArgs.length < 2) {
  process.stderr.write('usage: node bench/compare-trees.mjs SESSIONS POLLS TREE_A TREE_B [TREE_C …]\n');
  process.exit(2);
}
const trees = treeArgs.map((t) => resolve(t));
const TOKEN = 'bench-token';
const LIMITS = '50,100,200';
const work = mkdtempSync(join(tmpdir(), 'aw-compare-'));

async function build(tree, out) {
  const esbuild = createRequire(join(tree, 'package.json'))('esbuild');
  const banner = { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" };
  const common = { bundle: true, sourcemap: false, logLevel: 'warning', legalComments: 'none', absWorkingDir: tree, platform: 'node', format: 'esm', target: 'node20', banner };
  await esbuild.build({ ...common, entryPoints: ['bench/engine-entry.ts'], outfile: join(out, 'engine.js') });
  await esbuild.build({ ...common, entryPoints: ['bench/bench-servers.ts'], outfile: join(out, 'servers.js') });
  return out;
}

async function startRunner(tree, cfg) {
  const child = spawn(process.execPath, [join(tree, 'bench/product-runner.mjs'), JSON.stringify(cfg)], { cwd: tree, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  child.on('message', (m) => waiting.shift()?.(m));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w({ ok: false, error: `${tree}: runner exited ${code}` });
  });
  const next = () => new Promise((r) => waiting.push(r)).then((m) => (m.ok ? m.value : Promise.reject(new Error(m.error))));
  await next();
  return (msg) => {
    const answer = next();
    child.send(msg);
    return answer;
  };
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];
const round = (x) => Math.round(x * 1000) / 1000;

const bundles = [];
for (const [i, tree] of trees.entries()) bundles.push(await build(tree, join(work, String(i))));
const serversTree = resolve(process.env.SERVERS ?? trees[0]);
const serversOut = process.env.SERVERS ? await build(serversTree, join(work, 'servers')) : bundles[0];
const servers = spawn(process.execPath, [join(serversOut, 'servers.js'), serversTree, sizeArg, TOKEN, '{}'], { cwd: serversTree, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
try {
  const urls = await new Promise((res, rej) => {
    let out = '';
    servers.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) res(JSON.parse(out.split('\n')[0]));
    });
    servers.on('exit', (code) => rej(new Error(`bench servers exited ${code}`)));
  });
  const control = async (path) => (await fetch(`${urls.controlUrl}${path}`, { method: 'POST' })).json();
  const runners = [];
  for (const [i, tree] of trees.entries()) {
    const cfg = { gatewayUrl: urls.gatewayUrl, agentwatchUrl: urls.agentwatchUrl, controlUrl: urls.controlUrl, token: TOKEN, sessions: Number(sizeArg), limits: LIMITS, recordedFile: join(work, `posts-${i}.json`), mode: 'poll', engineBundle: pathToFileURL(join(bundles[i], 'engine.js')).href };
    runners.push(await startRunner(tree, cfg));
  }
  for (let w = 0; w < 3; w++) {
    for (const call of runners) {
      await control(`/advance?limits=${LIMITS}`);
      await call({ cmd: 'poll' });
    }
  }
  const ms = runners.map(() => []);
  for (let k = 0; k < Number(itersArg); k++) {
    await control(`/advance?limits=${LIMITS}`);
    const order = k % 2 ? [...runners.keys()].reverse() : [...runners.keys()];
    for (const i of order) {
      ms[i].push((await runners[i]({ cmd: 'poll' })).ms);
      await control('/take');
    }
  }
  const result = { sessions: Number(sizeArg), polls: Number(itersArg), trees: {}, pairedRatioToFirst: {} };
  for (const [i, tree] of trees.entries()) result.trees[tree] = { p10: round(quantile(ms[i], 0.1)), p50: round(quantile(ms[i], 0.5)), p90: round(quantile(ms[i], 0.9)) };
  for (let i = 1; i < trees.length; i++) {
    const ratios = ms[i].map((x, k) => x / ms[0][k]);
    result.pairedRatioToFirst[trees[i]] = { p25: round(quantile(ratios, 0.25)), p50: round(quantile(ratios, 0.5)), p75: round(quantile(ratios, 0.75)) };
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  for (const call of runners) await call({ cmd: 'done' }).catch(() => {});
} finally {
  servers.kill();
  rmSync(work, { recursive: true, force: true });
}
