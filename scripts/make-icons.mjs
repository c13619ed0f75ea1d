#!/usr/bin/env node
// Renders every icon the app ships from the SVG sources in assets/: the app icon set electron-builder reads from
// build/ and the tray state icons the main process loads from assets/tray/. Output is byte-identical on rerun;
// test/packaging/icons.test.ts regenerates into a temp dir and compares hashes with the committed files.
// Usage: node scripts/make-icons.mjs [--out <root>]   (default root: the repository)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';
import icns from '@fiahfy/icns';

const { Icns, IcnsImage } = icns; // CJS package: default-import, then destructure

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// OSType → pixel size; the retina types (ic11–ic14) are the @2x variants of 16/32/128/256.
const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];

// Tile colours for the Linux/Windows tray icons; macOS gets the bare glyph as a template image. Stale reuses the
// ok glyph, dimmed like CodexBar does when data is old.
export const TRAY_STATES = {
  ok: { glyph: 'ok', tile: '#16a34a', opacity: 1 },
  syncing: { glyph: 'syncing', tile: '#2563eb', opacity: 1 },
  stale: { glyph: 'ok', tile: '#64748b', opacity: 0.45 },
  error: { glyph: 'error', tile: '#dc2626', opacity: 1 },
  paused: { glyph: 'paused', tile: '#d97706', opacity: 1 },
};

function parseOutRoot(argv) {
  const i = argv.indexOf('--out');
  if (i === -1) return repo;
  const value = argv[i + 1];
  if (!value) throw new Error('--out needs a directory, e.g. --out /tmp/icons');
  return resolve(value);
}

function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

function glyphBody(name) {
  const svg = readFileSync(join(repo, 'assets', 'tray-src', `${name}.svg`), 'utf8');
  const body = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(svg)?.[1];
  if (body === undefined) throw new Error(`assets/tray-src/${name}.svg has no <svg> root`);
  return body;
}

function traySvg(state, template) {
  const { glyph, tile, opacity } = TRAY_STATES[state];
  const body = glyphBody(glyph);
  const open = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">';
  if (template) return `${open}<g color="#000000" opacity="${opacity}">${body}</g></svg>`;
  // The tile keeps the icon visible on light and dark panels alike; the glyph shrinks to sit inside it.
  return `${open}<g opacity="${opacity}"><rect x="0" y="0" width="32" height="32" rx="7" fill="${tile}"/>`
    + `<g color="#ffffff" transform="translate(16 16) scale(0.9) translate(-16 -16)">${body}</g></g></svg>`;
}

function write(root, rel, data) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return rel;
}

export async function makeIcons(root) {
  const svg = readFileSync(join(repo, 'assets', 'icon.svg'), 'utf8');
  const png = new Map(APP_SIZES.map((s) => [s, render(svg, s)]));
  // Windows and Linux draw small icons full-bleed; the macOS grid margin would waste a quarter of a 16 px icon.
  const bleed = svg.replace('viewBox="0 0 1024 1024"', 'viewBox="100 100 824 824"');
  const small = new Map(APP_SIZES.map((s) => [s, s < 128 ? render(bleed, s) : png.get(s)]));
  const written = [];
  for (const [s, data] of small) written.push(write(root, `build/icons/${s}x${s}.png`, data));
  written.push(write(root, 'build/icon.png', png.get(1024)));
  written.push(write(root, 'build/icon.ico', await pngToIco(ICO_SIZES.map((s) => small.get(s)))));
  const set = new Icns();
  for (const [type, s] of ICNS_TYPES) set.append(IcnsImage.fromPNG(png.get(s), type));
  written.push(write(root, 'build/icon.icns', set.data));
  for (const state of Object.keys(TRAY_STATES)) {
    for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
      written.push(write(root, `assets/tray/tray-${state}${suffix}.png`, render(traySvg(state, false), size)));
      written.push(write(root, `assets/tray/tray-${state}Template${suffix}.png`, render(traySvg(state, true), size)));
    }
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = parseOutRoot(process.argv.slice(2));
  const written = await makeIcons(root);
  console.log(`make-icons: wrote ${written.length} files under ${root}`);
}
