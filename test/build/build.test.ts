import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { buildIntoTemp, REPO_ROOT } from './build-into.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'";
const hasCli = existsSync(join(REPO_ROOT, 'src/cli/main.ts'));

let dist: string;
let log: string;
let ms: number;

const read = (rel: string) => readFileSync(join(dist, rel), 'utf8');
// A require( right after a quote or backtick is text inside a string (ajv keeps `require("ajv/…")` in its
// generated-code templates), not a call.
const requires = (code: string) => [...code.matchAll(/(?<!["'`])\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
const allFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? allFiles(join(dir, n)).map((f) => `${n}/${f}`) : [n]));

before(async () => {
  const started = performance.now();
  ({ dir: dist, log } = await buildIntoTemp());
  ms = performance.now() - started;
});
after(() => {
  if (dist) rmSync(dist, { recursive: true, force: true });
});

test('the build writes every bundle at the paths main, packaging and bin rely on, quickly and without source maps', () => {
  const expected = ['main/index.cjs', 'preload/index.cjs', 'renderer/index.html', 'renderer/renderer.js', 'renderer/styles.css'];
  if (hasCli) expected.push('cli/main.js');
  assert.deepEqual(allFiles(dist).sort(), expected.sort(), log);
  for (const f of expected.filter((f) => !f.endsWith('.html'))) assert.ok(!read(f).includes('sourceMappingURL'), `${f} has no source map`);
  assert.ok(ms < 10_000, `build took ${Math.round(ms)} ms`);
});

test('main is a CJS bundle for Node 22 that loads only electron and Node builtins', () => {
  const code = read('main/index.cjs');
  // prom-client (the metrics server) requires builtins without the node: prefix; they are still builtins.
  const isBuiltin = (r: string) => r.startsWith('node:') || builtinModules.includes(r);
  assert.deepEqual([...new Set(requires(code).filter((r) => !isBuiltin(r!)))], ['electron']);
  assert.ok(!/^import\s/m.test(code), 'no ESM import statements in a CJS bundle');
});

test('the preload bundle requires nothing but electron (sandboxed preloads cannot load local files)', () => {
  const code = read('preload/index.cjs');
  assert.deepEqual([...new Set(requires(code))], ['electron']);
  assert.match(code, /exposeInMainWorld/);
  assert.doesNotMatch(code, /sendSync/);
});

test('the renderer bundle has no Node builtins, no require and no IPC', () => {
  const code = read('renderer/renderer.js');
  assert.deepEqual(requires(code), []);
  assert.doesNotMatch(code, /["'`]node:[a-z]/);
  assert.doesNotMatch(code, /\bipcRenderer\b|\bprocess\.versions\b|__dirname/);
  assert.match(read('renderer/styles.css'), /\.uplot/, "uPlot's stylesheet is bundled");
});

test('index.html carries the strict CSP and no inline script or style', () => {
  const html = read('renderer/index.html');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  assert.equal(meta?.[1], CSP);
  assert.deepEqual([...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]?.trim()), ['src="renderer.js" defer']);
  assert.doesNotMatch(html, /<style\b|\sstyle="|\son[a-z]+="/i);
  assert.match(html, /<link rel="stylesheet" href="styles.css">/);
});

test('the CLI bundle is an executable ESM file with one hashbang and runs under this Node', { skip: hasCli ? false : 'src/cli/main.ts does not exist yet' }, async () => {
  const code = read('cli/main.js');
  assert.ok(code.startsWith('#!/usr/bin/env node\n'));
  assert.equal(code.match(/^#!/gm)?.length, 1);
  assert.ok(statSync(join(dist, 'cli/main.js')).mode & 0o100, 'executable bit set');
  const { stdout } = await promisify(execFile)(process.execPath, [join(dist, 'cli/main.js'), '--help']);
  assert.match(stdout, /agentwatch-sync/);
});

test('only the tray app carries the updater: the CLI never updates itself', { skip: hasCli ? false : 'src/cli/main.ts does not exist yet' }, () => {
  assert.match(read('main/index.cjs'), /app-update\.yml/, 'the main bundle holds electron-updater');
  assert.doesNotMatch(read('cli/main.js'), /electron-updater|app-update\.yml/);
});
