// Shared by the packaging tests: the repository root, electron-builder.yml parsed, the tray file names the main
// process loads, and a file hash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type BuilderConfig = Record<string, unknown> & {
  directories: { output: string; buildResources: string };
  extraMetadata: { main: string; desktopName: string };
  files: string[];
  linux: { icon: string; executableName: string; desktop: { entry: Record<string, string> } };
  mac: { icon: string };
  win: { icon: string };
  electronFuses: Record<string, boolean>;
  publish: Record<string, string>;
};

export function loadBuilderConfig(): BuilderConfig {
  return yaml.load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

export const trayStates = ['ok', 'syncing', 'stale', 'error', 'paused'] as const;

export const trayFiles: string[] = trayStates.flatMap((s) =>
  ['', '@2x', 'Template', 'Template@2x'].map((v) => `tray-${s}${v}.png`),
);

export const appIconSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(path);
  // 8-byte signature, then the IHDR chunk: length(4) type(4) width(4) height(4).
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${path} is not a PNG`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
