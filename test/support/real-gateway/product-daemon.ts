import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { repoRoot } from '../run-cli.js';
import { killProcessGroupNow, stopProcessGroup } from './process-group.js';

// The product's CLI as a long-running daemon (`node --import tsx src/cli/main.ts …`) in its own process group,
// with its log lines kept so tests can wait on what it reports.

export interface ProductDaemon {
  /** Every log line so far (stdout and stderr, in arrival order). */
  readonly lines: readonly string[];
  /** Resolves with the index of the first line at or after `from` matching `pattern`; rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp, opts?: { from?: number; timeoutMs?: number }): Promise<number>;
  /** SIGTERM to the group (the CLI finishes its delivery and exits), SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function startProductDaemon(args: readonly string[], env: NodeJS.ProcessEnv = {}): ProductDaemon {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => running.forEach(killProcessGroupNow));
  }
  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the developer's shell or the test runner may change what the CLI reads.
  for (const name of Object.keys(baseEnv)) {
    if (name.startsWith('AGENTWATCH_SYNC_') || name === 'OPENCLAW_GATEWAY_TOKEN' || name === 'AGENTWATCH_API_KEY' || name === 'NODE_TEST_CONTEXT') {
      delete baseEnv[name];
    }
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repoRoot,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const lines: string[] = [];
  const added = new EventEmitter();
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        added.emit('line');
      }
    });
  }

  const firstMatch = (pattern: RegExp, from: number) => {
    for (let i = from; i < lines.length; i++) if (pattern.test(lines[i] as string)) return i;
    return -1;
  };

  return {
    lines,
    waitForLine: (pattern, opts = {}) => {
      const from = opts.from ?? 0;
      const timeoutMs = opts.timeoutMs ?? 60_000;
      const seen = firstMatch(pattern, from);
      if (seen >= 0) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          added.off('line', onLine);
          fn();
        };
        const timer = setTimeout(() => {
          done(() => reject(new Error(`daemon printed no line matching ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`)));
        }, timeoutMs);
        const onLine = () => {
          const i = firstMatch(pattern, from);
          if (i >= 0) done(() => resolve(i));
        };
        added.on('line', onLine);
        void exited.then(({ code, signal }) => {
          const i = firstMatch(pattern, from);
          done(() => (i >= 0 ? resolve(i) : reject(new Error(`daemon exited (code ${code}, signal ${signal}) before printing ${pattern}:\n${lines.slice(-15).join('\n')}`))));
        });
      });
    },
    stop: async (graceMs = 20_000) => {
      if (running.has(child)) await stopProcessGroup(child, graceMs);
      return exited;
    },
  };
}
