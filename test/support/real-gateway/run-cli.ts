import { spawn } from 'node:child_process';
import type { OpenclawInstall } from './install.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON (the CLI prints one document with --json). */
  json?: unknown;
  durationMs: number;
}

export interface CliOptions {
  timeoutMs?: number;
  /** Extra environment on top of the gateway's (HOME etc.). */
  env?: NodeJS.ProcessEnv;
}

function parseJson(stdout: string): unknown {
  const text = stdout.trim();
  const start = text.search(/^[{[]/m);
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return undefined; // not JSON: callers read stdout
  }
}

/**
 * Runs `openclaw <args>` on the Node 24 binary. Asynchronous on purpose: the fake LLM answering the gateway
 * lives in this process, so a blocking spawnSync would deadlock every agent turn.
 */
export function runOpenclawCli(
  install: OpenclawInstall,
  env: NodeJS.ProcessEnv,
  args: string[],
  opts: CliOptions = {},
): Promise<CliResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const started = Date.now();
  const child = spawn(install.nodeBin, [install.cliEntry, ...args], {
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stderr += `\n[harness] openclaw ${args[0]} timed out after ${timeoutMs} ms; killed`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, json: parseJson(stdout), durationMs: Date.now() - started });
    });
  });
}
