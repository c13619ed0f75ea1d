import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `node scripts/build.mjs` into a fresh temp folder (tests never race over dist/) and returns the folder. */
export async function buildIntoTemp(): Promise<{ dir: string; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'agentwatch-dist-'));
  const { stdout, stderr } = await run(process.execPath, ['scripts/build.mjs', '--outdir', dir], { cwd: REPO_ROOT });
  return { dir, log: stdout + stderr };
}
