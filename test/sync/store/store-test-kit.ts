import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { SessionDelta, Watermark } from '../../../src/sync/delta.js';
import type { Logger } from '../../../src/sync/ports.js';
import type { DurableFs } from '../../../src/sync/store/durable-fs.js';
import type { LedgerEntry, SyncState } from '../../../src/sync/store/sync-state.js';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

export class FakeClock {
  constructor(public ms = T0) {}
  now(): number {
    return this.ms;
  }
}

export interface RecordingLogger extends Logger {
  lines: Array<{ level: string; message: string }>;
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aw-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function journalFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^journal-\d+\.log$/.test(f)).sort();
}

export function watermark(n: number): Watermark {
  return { input: n, output: n * 2, cacheRead: 0, cacheWrite: 0, costMicros: n * 10 };
}

/** A delta of session `sessionId` moving its watermark from `from` to `to` (tokens = 3 × (to − from)). */
export function delta(id: string, sessionId = 's1', from = 0, to = from + 1, agentId = 'main'): SessionDelta {
  const a = watermark(from);
  const b = watermark(to);
  return {
    id,
    traceId: `trace-${sessionId}`,
    gatewayId: 'gw',
    sessionKey: `agent:${agentId}:${sessionId}`,
    sessionId,
    agentId,
    classification: 'main',
    kind: 'direct',
    label: null,
    channel: null,
    model: 'gpt-test',
    modelProvider: 'openai',
    status: 'running',
    openclawStatus: null,
    tokens: { input: b.input - a.input, output: b.output - a.output, cacheRead: 0, cacheWrite: 0 },
    costMicros: b.costMicros - a.costMicros,
    unpricedEntries: 0,
    unpricedTotal: 0,
    from: a,
    to: b,
    contextUsedPct: 12.5,
    observedAt: T0,
  };
}

export function entry(sessionId: string, booked: number, agentId = 'main'): LedgerEntry {
  return {
    sessionId,
    sessionKey: `agent:${agentId}:${sessionId}`,
    agentId,
    classification: 'main',
    kind: 'direct',
    traceId: `trace-${sessionId}`,
    label: null,
    model: 'gpt-test',
    booked: watermark(booked),
    bookedUnpriced: 0,
    status: 'running',
    trackedAt: T0,
    lastBookedAt: T0,
    contextUsedPct: null,
  };
}

/** Everything observable, for comparing a state with its reloaded self. */
export function view(state: SyncState) {
  return {
    ledger: [...state.entries()].sort((a, b) => a.sessionId.localeCompare(b.sessionId)),
    outbox: state.pending(Number.MAX_SAFE_INTEGER),
    hourly: state.hourly(0),
    counters: state.counters,
  };
}

export function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure`), { code });
}

/** Wraps a DurableFs; a failure rule returning an error makes that call reject (after `partial` bytes, if set). */
export function faultyFs(
  inner: DurableFs,
  rules: {
    append?: (path: string) => { error: Error; partial?: number } | undefined;
    writeAtomic?: (path: string) => Error | undefined;
    sync?: (path: string) => Error | undefined;
  },
): DurableFs {
  async function append(p: string, text: string, durable: boolean): Promise<void> {
    const write = (t: string) => (durable ? inner.appendDurable(p, t) : inner.append(p, t));
    const fault = rules.append?.(p);
    if (!fault) return write(text);
    if (fault.partial) await write(text.slice(0, fault.partial));
    throw fault.error;
  }
  return {
    readText: (p) => inner.readText(p),
    appendDurable: (p, text) => append(p, text, true),
    append: (p, text) => append(p, text, false),
    async sync(p) {
      const error = rules.sync?.(p);
      if (error) throw error;
      return inner.sync(p);
    },
    async writeAtomic(p, text) {
      const error = rules.writeAtomic?.(p);
      if (error) throw error;
      return inner.writeAtomic(p, text);
    },
    remove: (p) => inner.remove(p),
    mkdirp: (p) => inner.mkdirp(p),
    close: () => inner.close(),
  };
}
