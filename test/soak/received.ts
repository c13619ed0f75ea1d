import type { SimAgentWatch } from '../../src/sim/agentwatch-server.js';
import type { SessionWorld } from '../../src/sim/session-world.js';
import { usdToMicros } from '../../src/sync/delta.js';

export type Totals = { input: number; output: number; costMicros: number };
const zero = (): Totals => ({ input: 0, output: 0, costMicros: 0 });

/**
 * What AgentWatch received over a month, folded as it arrives so the simulator's row arrays can be emptied (a
 * month of rows would be the soak's own heap growth). Its sums are the Cost rows' (they also carry live-mode
 * corrections, negative figures that have no event). A delta delivered twice (a POST accepted whose answer was lost)
 * shows as its llm_call event's `sync_event_id` seen again: that repeat's tokens and cost are taken out.
 */
export class Received {
  private readonly seen = new Set<string>();
  private readonly sessionOfTrace = new Map<string, string>();
  readonly bySession = new Map<string, Totals>();
  duplicates = 0;
  private readonly dups = new Map<string, Totals>();

  fold(aw: SimAgentWatch): void {
    for (const t of aw.traces) {
      const id = (t.attributes as Record<string, unknown> | undefined)?.openclaw_session_id;
      if (typeof id === 'string') this.sessionOfTrace.set(t.id, id);
    }
    for (const e of aw.events) {
      const attrs = (e.attributes ?? {}) as Record<string, unknown>;
      const id = attrs.sync_event_id;
      if (typeof id !== 'string') continue;
      const session = this.sessionOfTrace.get(e.trace_id) ?? `?${e.trace_id}`;
      if (!this.seen.has(id)) {
        this.seen.add(id);
        continue;
      }
      this.duplicates += 1;
      const d = this.dups.get(session) ?? zero();
      d.input += e.input_tokens ?? 0;
      d.output += e.output_tokens ?? 0;
      d.costMicros += usdToMicros(Number(attrs.cost_usd ?? 0));
      this.dups.set(session, d);
    }
    for (const c of aw.costs) {
      const session = this.sessionOfTrace.get(c.trace_id) ?? `?${c.trace_id}`;
      const t = this.bySession.get(session) ?? zero();
      t.input += c.input_tokens ?? 0;
      t.output += c.output_tokens ?? 0;
      t.costMicros += usdToMicros(c.amount);
      this.bySession.set(session, t);
    }
    aw.events.length = 0;
    aw.costs.length = 0;
    aw.requests.length = 0;
  }

  /** Per transcript, duplicates taken out. */
  totals(): Map<string, Totals> {
    const out = new Map<string, Totals>();
    for (const [id, t] of this.bySession) {
      const d = this.dups.get(id) ?? zero();
      out.set(id, { input: t.input - d.input, output: t.output - d.output, costMicros: t.costMicros - d.costMicros });
    }
    return out;
  }
}

/** The gateway's lifetime figure per transcript (retired ones included), and each transcript's class. */
export function gatewayTotals(world: SessionWorld): Map<string, Totals & { key: string }> {
  const rows = world.usagePayload().sessions as Array<{ key: string; sessionId: string; usage: { input: number; output: number; totalCost: number } }>;
  return new Map(rows.map((r) => [r.sessionId, { key: r.key, input: r.usage.input, output: r.usage.output, costMicros: usdToMicros(r.usage.totalCost) }]));
}

export interface Comparison {
  /** Transcripts AgentWatch holds whose figures differ from the gateway's (more, less, or unknown to it). */
  wrong: string[];
  /** Behind: figures not delivered yet (fine at a checkpoint, never at the end). */
  behind: number;
  /** Over: more than the gateway counted, duplicates already taken out: a booking made twice. */
  over: number;
  synced: number;
}

export function compare(received: Map<string, Totals>, gateway: Map<string, Totals & { key: string }>): Comparison {
  const wrong: string[] = [];
  let behind = 0;
  let over = 0;
  for (const [id, got] of received) {
    const want = gateway.get(id);
    if (!want || got.input !== want.input || got.output !== want.output || got.costMicros !== want.costMicros) {
      wrong.push(`${want?.key ?? '?'} ${id}: got ${JSON.stringify(got)} want ${want ? JSON.stringify({ input: want.input, output: want.output, costMicros: want.costMicros }) : 'none'}`);
    }
    if (want && got.input + got.output < want.input + want.output) behind += 1;
    if (!want || got.input > want.input || got.output > want.output) over += 1;
  }
  return { wrong, behind, over, synced: received.size };
}
