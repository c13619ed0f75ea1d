import { open, stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { SinkKind } from '../shared/settings.js';
import { startSimAgentWatch } from '../sim/agentwatch-server.js';
import { startOtlpReceiver } from '../sim/otlp-receiver.js';
import { usdToMicros } from '../sync/delta.js';
import type { SeedEvent } from '../sync/sinks/seed-event.js';

export interface Totals {
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

/** Where the demo delivers: a loopback server for the sink, or the JSON lines themselves. */
export interface DemoTarget {
  /** The settings that point the engine at it. */
  settings: Record<string, unknown>;
  /** For the log: what receives the events. */
  label: string;
  /** jsonl to stdout: the stream the engine writes to (it forwards to `stdout`). */
  stdout?: NodeJS.WritableStream;
  totals(): Promise<Totals>;
  close(): Promise<void>;
}

function seedTotals(text: string): Totals {
  const t: Totals = { inputTokens: 0, outputTokens: 0, costMicros: 0 };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as SeedEvent;
    t.inputTokens += e.input_tokens;
    t.outputTokens += e.output_tokens;
    t.costMicros += usdToMicros(e.cost_usd);
  }
  return t;
}

async function jsonlFileTarget(path: string): Promise<DemoTarget> {
  // Only what this demo appends counts: the file may hold an earlier run's lines.
  const from = await stat(path).then((s) => s.size, () => 0);
  return {
    settings: { sink: 'jsonl', jsonlPath: path },
    label: `JSON lines appended to ${path}`,
    totals: async () => {
      const file = await open(path, 'r');
      try {
        const size = (await file.stat()).size;
        const buf = Buffer.alloc(size - from);
        await file.read(buf, 0, buf.length, from);
        return seedTotals(buf.toString('utf8'));
      } finally {
        await file.close();
      }
    },
    close: async () => undefined,
  };
}

function jsonlStdoutTarget(stdout: NodeJS.WritableStream): DemoTarget {
  let written = '';
  const tee = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      stdout.write(chunk, done);
    },
  });
  return {
    settings: { sink: 'jsonl', jsonlPath: '-' },
    label: 'JSON lines on stdout (the log is on stderr)',
    stdout: tee,
    totals: async () => seedTotals(written),
    close: async () => undefined,
  };
}

/** The demo's receiving end for `sink`: AgentWatch (default), the seed contract, an OTLP collector, or JSON lines. */
export async function startDemoTarget(sink: SinkKind, jsonlPath: string, stdout: NodeJS.WritableStream): Promise<DemoTarget> {
  if (sink === 'jsonl') return jsonlPath === '-' ? jsonlStdoutTarget(stdout) : jsonlFileTarget(jsonlPath);
  if (sink === 'otlp') {
    const rx = await startOtlpReceiver();
    return {
      settings: { sink: 'otlp', otlpUrl: rx.url },
      label: `local OTLP collector at ${rx.url}/v1/traces`,
      totals: async () => {
        const t: Totals = { inputTokens: 0, outputTokens: 0, costMicros: 0 };
        for (const s of rx.spans) {
          const a = s.attributes;
          const num = (k: string) => (typeof a[k] === 'number' ? (a[k] as number) : 0);
          // gen_ai.usage.input_tokens includes cached input; the demo's totals count fresh input.
          t.inputTokens += num('gen_ai.usage.input_tokens') - num('gen_ai.usage.cache_read.input_tokens') - num('gen_ai.usage.cache_creation.input_tokens');
          t.outputTokens += num('gen_ai.usage.output_tokens');
          t.costMicros += num('agentwatch.cost_micros');
        }
        return t;
      },
      close: () => rx.close(),
    };
  }
  const seed = sink === 'seed';
  const aw = await startSimAgentWatch(seed ? { mode: 'seed' } : {});
  return {
    settings: { sink: seed ? 'seed' : 'agentwatch', agentwatchUrl: aw.url },
    label: seed ? `local seed endpoint at ${aw.url}/api/events/bulk` : `local AgentWatch at ${aw.url}`,
    totals: async () => aw.totals(),
    close: () => aw.close(),
  };
}
