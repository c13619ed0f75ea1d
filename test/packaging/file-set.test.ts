import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { extractFile, listPackage } from '@electron/asar';
import { build, Platform } from 'electron-builder';
import { githubUrl, type GithubOptions } from 'builder-util-runtime';
import yaml from 'js-yaml';
import { loadBuilderConfig, repoRoot, trayFiles } from './packaging-kit.js';

// electron-builder runs on a copy of the repository (sources, tests and fixtures included, so the exclusions are
// really exercised) whose dist/ comes from scripts/build.mjs --outdir: nothing here writes into the repo's dist/.
// The Electron binary is a stand-in holding only the fuse wire, so the test also sees which fuses were flipped.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'; // @electron/fuses: wire = version, length, one byte per fuse
const FUSE_ORDER = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar'];
const FEED_OWNER = 'feed-owner';
const FEED_REPO = 'feed-repo';
const ON = 0x31;
const OFF = 0x30;

const work = mkdtempSync(join(tmpdir(), 'aw-pack-'));
const project = join(work, 'project');
const fakeElectron = join(work, 'electron-dist');
const output = join(work, 'release');
let entries: string[] = [];
let unpacked = '';

function stageProject(): void {
  const skip = new Set(['node_modules', '.git', 'dist', 'release', 'out', '.cache']);
  cpSync(repoRoot, project, {
    recursive: true,
    filter: (src) => !skip.has(relative(repoRoot, src).split(sep)[0] ?? ''),
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'junction');
}

function buildBundles(): void {
  const script = join(repoRoot, 'scripts', 'build.mjs');
  assert.ok(existsSync(script), 'scripts/build.mjs is missing: the packaging test needs `npm run build` wired up');
  const r = spawnSync(process.execPath, [script, '--outdir', join(project, 'dist')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run build failed:\n${r.stdout}\n${r.stderr}`);
  const { main } = loadBuilderConfig().extraMetadata;
  for (const entry of [main, 'dist/preload/index.cjs', 'dist/renderer/index.html']) {
    assert.ok(existsSync(join(project, entry)), `${entry} was not produced by npm run build:\n${r.stdout}`);
  }
  // Planted strays: a source map and a TypeScript file inside dist/ must still stay out of the package.
  writeFileSync(join(project, 'dist', 'main', 'index.cjs.map'), '{}');
  writeFileSync(join(project, 'dist', 'main', 'stray.ts'), 'export {};\n');
}

function makeFakeElectron(): void {
  mkdirSync(join(fakeElectron, 'resources'), { recursive: true });
  // Every fuse starts opposite to what the config asks, so each assertion below can only pass if it was flipped.
  const wire = [ON, OFF, ON, ON, OFF, OFF, OFF, OFF];
  const binary = Buffer.concat([Buffer.from('fake-electron\0'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, wire.length, ...wire])]);
  writeFileSync(join(fakeElectron, 'electron'), binary, { mode: 0o755 });
}

before(async () => {
  stageProject();
  buildBundles();
  makeFakeElectron();
  await build({
    projectDir: project,
    targets: Platform.LINUX.createTarget('dir'),
    publish: 'never',
    // The staged copy has no .git to take the feed's repository from: pass it as the release workflow does.
    config: { electronDist: fakeElectron, directories: { output }, publish: { ...loadBuilderConfig().publish, owner: FEED_OWNER, repo: FEED_REPO } as unknown as GithubOptions },
  });
  unpacked = join(output, 'linux-unpacked');
  entries = listPackage(join(unpacked, 'resources', 'app.asar'), { isPack: false });
}, { timeout: 180_000 });

after(() => rmSync(work, { recursive: true, force: true }));

test('app.asar holds the bundles, the settings page, package.json and every tray icon', () => {
  for (const path of ['/dist/main/index.cjs', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/package.json']) {
    assert.ok(entries.includes(path), `${path} is not in app.asar`);
  }
  for (const name of trayFiles) assert.ok(entries.includes(`/assets/tray/${name}`), `tray icon ${name} is not in app.asar`);
});

test('app.asar leaves out sources, tests, fixtures, scripts, icon sources, maps and TypeScript', () => {
  const appFiles = entries.filter((p) => !p.startsWith('/node_modules'));
  const banned = ['/src', '/test', '/scripts', '/docs', '/build', '/assets/tray-src', '/assets/icon.svg', '/electron-builder.yml'];
  for (const b of banned) assert.deepEqual(appFiles.filter((p) => p === b || p.startsWith(`${b}/`)), [], `${b} leaked`);
  assert.deepEqual(entries.filter((p) => p.endsWith('.map')), []);
  assert.deepEqual(entries.filter((p) => /\.(ts|mts|cts)$/.test(p)), []);
  assert.deepEqual(entries.filter((p) => p.split('/').includes('fixtures')), []);
});

test('the packaged package.json points Electron at the bundled main and the Linux desktop name', () => {
  const pkg = JSON.parse(extractFile(join(unpacked, 'resources', 'app.asar'), 'package.json').toString('utf8')) as {
    main: string; desktopName: string; devDependencies?: unknown;
  };
  const { extraMetadata } = loadBuilderConfig();
  assert.equal(pkg.main, extraMetadata.main);
  assert.equal(pkg.desktopName, extraMetadata.desktopName);
  assert.equal(pkg.devDependencies, undefined, 'electron-builder strips devDependencies');
  assert.ok(existsSync(join(unpacked, loadBuilderConfig().linux.executableName)), 'executable renamed for Linux');
});

test('the security fuses are flipped in the packaged Electron binary as the config says', () => {
  const binary = readFileSync(join(unpacked, loadBuilderConfig().linux.executableName));
  const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  const wanted = loadBuilderConfig().electronFuses;
  const actual = Object.fromEntries(FUSE_ORDER.map((name, i) => [name, binary[at + 2 + i] === ON]));
  assert.deepEqual(actual, wanted);
});

test('resources/app-update.yml names the GitHub releases feed electron-updater reads, over HTTPS', () => {
  const path = join(unpacked, 'resources', 'app-update.yml');
  assert.ok(existsSync(path), 'app-update.yml is next to app.asar');
  const feed = yaml.load(readFileSync(path, 'utf8')) as Record<string, string>;
  assert.deepEqual(feed, { provider: 'github', owner: FEED_OWNER, repo: FEED_REPO, releaseType: 'release', updaterCacheDirName: 'agentwatch-live-sync-updater' });
  // electron-updater's GitHubProvider builds its URLs from this (no host/protocol override: github.com over https).
  assert.equal(githubUrl(feed as unknown as GithubOptions), 'https://github.com');
});
