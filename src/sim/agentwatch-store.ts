import { randomUUID } from 'node:crypto';
import { calculateCost } from './agentwatch-schemas.js';

// What the simulated server keeps: every row gets a server-made uuid4 and the server's clock, never the client's.

export interface AgentRow {
  id: string;
  name: string;
  description: string | null;
  agent_type: string | null;
  owner: string | null;
  created_at: string;
  is_active: boolean;
  config: Record<string, unknown> | null;
}

export interface TraceRow {
  id: string;
  agent_id: string;
  parent_trace_id: string | null;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  environment: string;
  user_id: string | null;
  session_id: string | null;
  task_type: string | null;
  status: string;
  error_message: string | null;
  error_type: string | null;
  input_summary: string | null;
  output_summary: string | null;
  attributes: Record<string, unknown> | null;
}

export interface EventRow {
  id: string;
  trace_id: string;
  timestamp: string;
  event_type: string;
  event_name: string | null;
  input_data: Record<string, unknown> | null;
  output_data: Record<string, unknown> | null;
  duration_ms: number | null;
  status: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  attributes: Record<string, unknown> | null;
}

export interface CostRow {
  id: string;
  trace_id: string;
  timestamp: string;
  amount: number;
  currency: string;
  category: string;
  subcategory: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  customer_id: string | null;
  team_id: string | null;
}

type Fields = Record<string, unknown>;

/** Python's naive `datetime.utcnow().isoformat()`: no zone suffix, microseconds. */
export function pyTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23) + '000';
}

export const parsePyTimestamp = (s: string): number => Date.parse(s.endsWith('Z') || /[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`);

export class SimStore {
  readonly agents: AgentRow[] = [];
  readonly traces: TraceRow[] = [];
  readonly events: EventRow[] = [];
  readonly costs: CostRow[] = [];
  readonly bulkEvents: unknown[] = [];

  constructor(private readonly now: () => number) {}

  stamp(): string {
    return pyTimestamp(this.now());
  }

  addAgent(f: Fields): AgentRow {
    const row = { ...(f as Omit<AgentRow, 'id' | 'created_at' | 'is_active'>), id: randomUUID(), created_at: this.stamp(), is_active: true };
    this.agents.push(row);
    return row;
  }

  addTrace(f: Fields): TraceRow {
    const row = {
      ...(f as Omit<TraceRow, 'id' | 'started_at' | 'ended_at' | 'duration_ms' | 'status' | 'error_message' | 'error_type' | 'output_summary'>),
      id: randomUUID(),
      started_at: this.stamp(),
      ended_at: null,
      duration_ms: null,
      status: 'running',
      error_message: null,
      error_type: null,
      output_summary: null,
    };
    this.traces.push(row);
    return row;
  }

  updateTrace(row: TraceRow, f: Fields): TraceRow {
    if (typeof f.status === 'string') {
      row.status = f.status;
      if (f.status !== 'running') {
        const ended = this.now();
        row.ended_at = pyTimestamp(ended);
        row.duration_ms = Math.trunc(ended - parsePyTimestamp(row.started_at));
      }
    }
    for (const k of ['error_message', 'error_type', 'output_summary'] as const) if (f[k]) row[k] = f[k] as string;
    if (f.attributes && Object.keys(f.attributes).length > 0) row.attributes = { ...(row.attributes ?? {}), ...(f.attributes as Fields) };
    return row;
  }

  /** `withCost` is POST /api/events' extra: an llm_call with model and both token counts books a priced Cost row. */
  addEvent(f: Fields, withCost: boolean): EventRow {
    const row = { ...(f as Omit<EventRow, 'id' | 'timestamp'>), id: randomUUID(), timestamp: this.stamp() };
    this.events.push(row);
    if (withCost && row.event_type === 'llm_call' && row.model && row.input_tokens && row.output_tokens) {
      this.addCost({
        trace_id: row.trace_id,
        amount: calculateCost(row.model, row.input_tokens, row.output_tokens),
        currency: 'USD',
        category: 'llm',
        subcategory: null,
        model: row.model,
        input_tokens: row.input_tokens,
        output_tokens: row.output_tokens,
        customer_id: null,
        team_id: null,
      });
    }
    return row;
  }

  addCost(f: Fields): CostRow {
    const row = { ...(f as Omit<CostRow, 'id' | 'timestamp'>), id: randomUUID(), timestamp: this.stamp() };
    this.costs.push(row);
    return row;
  }
}
