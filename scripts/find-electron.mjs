// Where the Electron binary is, without require('electron') (which downloads it on first use since Electron 42).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(repo, 'package.json'));

/** Mirrors electron's own lookup (node_modules/electron/index.js): the unpacked dist dir, or null. */
export function findElectronDist() {
  return findElectron()?.distDir ?? null;
}

/** { distDir, executable } of the installed Electron binary, or null when it was never downloaded. */
export function findElectron() {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    const exeName = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
    const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkgDir, 'dist');
    const executable = join(distDir, exeName);
    return existsSync(executable) ? { distDir, executable } : null;
  } catch {
    return null; // electron package not installed at all: same remedy as a missing binary
  }
}
