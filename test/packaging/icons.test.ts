import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import icns from '@fiahfy/icns';
import { appIconSizes, loadBuilderConfig, pngSize, repoRoot, sha256, trayFiles } from './packaging-kit.js';

const outputs = [
  ...appIconSizes.map((s) => `build/icons/${s}x${s}.png`),
  'build/icon.png', 'build/icon.ico', 'build/icon.icns',
  ...trayFiles.map((f) => `assets/tray/${f}`),
];

const temps: string[] = [];

function makeIconsInto(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aw-icons-'));
  temps.push(dir);
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'make-icons.mjs'), '--out', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `make-icons failed: ${r.stderr}`);
  return dir;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

let first = '';
let second = '';
before(() => {
  first = makeIconsInto();
  second = makeIconsInto();
});
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

test('the icon script writes exactly the expected files, byte-identical on rerun and equal to the committed ones', () => {
  assert.deepEqual(listFiles(first), [...outputs].sort());
  for (const rel of outputs) {
    assert.equal(sha256(join(second, rel)), sha256(join(first, rel)), `${rel} differs between two runs`);
    assert.equal(sha256(join(repoRoot, rel)), sha256(join(first, rel)), `${rel} is stale: run npm run icons and commit`);
  }
});

test('every PNG has the size its name promises', () => {
  for (const s of appIconSizes) assert.deepEqual(pngSize(join(first, `build/icons/${s}x${s}.png`)), { width: s, height: s });
  assert.deepEqual(pngSize(join(first, 'build/icon.png')), { width: 1024, height: 1024 });
  for (const f of trayFiles) {
    const s = f.includes('@2x') ? 32 : 16;
    assert.deepEqual(pngSize(join(first, 'assets/tray', f)), { width: s, height: s }, f);
  }
});

test('the Linux icon directory the config names holds every app icon size', () => {
  const dir = join(first, loadBuilderConfig().linux.icon);
  assert.deepEqual(readdirSync(dir).sort(), appIconSizes.map((s) => `${s}x${s}.png`).sort());
});

test('icon.ico declares the 16–256 px images in its directory', () => {
  const ico = readFileSync(join(first, 'build/icon.ico'));
  assert.equal(ico.readUInt16LE(0), 0, 'reserved');
  assert.equal(ico.readUInt16LE(2), 1, 'type 1 = icon');
  const count = ico.readUInt16LE(4);
  // Each 16-byte directory entry starts with width and height; 0 means 256.
  const sizes = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256);
  assert.deepEqual(sizes, [16, 24, 32, 48, 64, 128, 256]);
});

test('icon.icns parses back with every macOS icon type, retina variants included', () => {
  const parsed = icns.Icns.from(readFileSync(join(first, 'build/icon.icns')));
  assert.deepEqual(
    parsed.images.map((i) => i.osType),
    ['icp4', 'icp5', 'icp6', 'ic07', 'ic08', 'ic09', 'ic10', 'ic11', 'ic12', 'ic13', 'ic14'],
  );
});

type Decoded = { width: number; height: number; data: Buffer };
// pngjs comes with @fiahfy/icns; it is the decoder the icns writer itself uses.
const requireFromIcns = createRequire(createRequire(import.meta.url).resolve('@fiahfy/icns'));
const { PNG } = requireFromIcns('pngjs') as { PNG: { sync: { read(b: Buffer): Decoded } } };

function decode(path: string): Decoded {
  return PNG.sync.read(readFileSync(path));
}

test('macOS template images are black plus alpha only; the coloured tray icons are not', () => {
  for (const f of trayFiles) {
    const { data } = decode(join(first, 'assets/tray', f));
    let coloured = 0;
    let opaque = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      opaque += 1;
      if (data[i] !== 0 || data[i + 1] !== 0 || data[i + 2] !== 0) coloured += 1;
    }
    assert.ok(opaque > 0, `${f} is empty`);
    if (f.includes('Template')) assert.equal(coloured, 0, `${f} has ${coloured} non-black pixels`);
    else assert.ok(coloured > 0, `${f} should be coloured`);
  }
});

test('the tray states differ from each other and stale is dimmer than ok', () => {
  for (const variant of ['', '@2x', 'Template', 'Template@2x']) {
    const hashes = new Set(['ok', 'syncing', 'stale', 'error', 'paused'].map((s) => sha256(join(first, 'assets/tray', `tray-${s}${variant}.png`))));
    assert.equal(hashes.size, 5, `tray-*${variant}.png: two states render the same image`);
    const alpha = (s: string) => {
      const { data } = decode(join(first, 'assets/tray', `tray-${s}${variant}.png`));
      let sum = 0;
      for (let i = 3; i < data.length; i += 4) sum += data[i] ?? 0;
      return sum;
    };
    assert.ok(alpha('stale') < alpha('ok') * 0.6, `stale${variant} is not dimmed`);
  }
});

test('the SVG sources carry no text (resvg renders here without fonts)', () => {
  const sources = ['icon.svg', ...readdirSync(join(repoRoot, 'assets', 'tray-src')).map((f) => `tray-src/${f}`)];
  assert.ok(sources.length >= 5, sources.join(', '));
  for (const f of sources) assert.doesNotMatch(readFileSync(join(repoRoot, 'assets', f), 'utf8'), /<text\b/, f);
});
