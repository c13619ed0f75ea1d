import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { installPrefix } from './install.js';

const keepMs = 24 * 3600_000;

/** `.cache/real-gateway-logs` (gitignored), kept after a run for diagnosis; logs older than a day are pruned. */
export function gatewayLogDir(now = Date.now()): string {
  const dir = join(installPrefix, '..', 'real-gateway-logs');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > keepMs) rmSync(file, { force: true });
    } catch {
      // a concurrent run pruned it first
    }
  }
  return dir;
}
