import { readFileSync } from 'node:fs';

/** From package.json next to the sources or the bundle; the bundle build also defines it at compile time. */
export function appVersion(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'agentwatch-live-sync' && pkg.version) return pkg.version;
    } catch {
      // not at this depth: try the next
    }
  }
  return '0.0.0';
}
