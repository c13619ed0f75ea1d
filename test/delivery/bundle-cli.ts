import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../support/run-cli.js';

/**
 * The CLI (or a harness entry around it) bundled into one file, as scripts/build.mjs makes it: a child starts in ~0.1 s instead of ~0.7 s through
 * tsx, which is what lets the crash tests restart it dozens of times.
 */
export async function bundleCli(outDir: string, entry = 'src/cli/main.ts'): Promise<string> {
  const outfile = join(outDir, 'cli.mjs');
  await build({
    entryPoints: [join(repoRoot, entry)],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    // Bundled CJS dependencies call require(); an ESM bundle has none, so make one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  });
  return outfile;
}
