import type { FieldSpec, ModelSpec } from './agentwatch-validate.js';

// AgentWatch's request models (src/api/schemas.py), field for field.

const str: FieldSpec = { type: 'str' };
const int: FieldSpec = { type: 'int' };
const dict: FieldSpec = { type: 'dict' };
const req = (f: FieldSpec): FieldSpec => ({ ...f, required: true });

export const TRACE_STATUSES = ['running', 'success', 'error', 'timeout'] as const;
export const EVENT_TYPES = ['tool_call', 'llm_call', 'decision', 'error', 'custom'] as const;
export const COST_CATEGORIES = ['llm', 'tool', 'api', 'compute'] as const;
const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

export const AgentCreate: ModelSpec = { name: req(str), description: str, agent_type: str, owner: str, config: dict };

export const TraceCreate: ModelSpec = {
  agent_id: req(str),
  parent_trace_id: str,
  environment: { type: 'str', default: 'production' },
  user_id: str,
  session_id: str,
  task_type: str,
  input_summary: str,
  attributes: dict,
};

export const TraceUpdate: ModelSpec = {
  status: { type: { enum: TRACE_STATUSES } },
  error_message: str,
  error_type: str,
  output_summary: str,
  attributes: dict,
};

export const EventCreate: ModelSpec = {
  trace_id: req(str),
  event_type: req({ type: { enum: EVENT_TYPES } }),
  event_name: str,
  input_data: dict,
  output_data: dict,
  duration_ms: int,
  status: str,
  model: str,
  input_tokens: int,
  output_tokens: int,
  attributes: dict,
};

export const CostCreate: ModelSpec = {
  trace_id: req(str),
  amount: req({ type: 'float' }),
  currency: { type: 'str', default: 'USD' },
  category: req({ type: { enum: COST_CATEGORIES } }),
  subcategory: str,
  model: str,
  input_tokens: int,
  output_tokens: int,
  customer_id: str,
  team_id: str,
};

export const ComplianceEventCreate: ModelSpec = {
  trace_id: req(str),
  event_type: req(str),
  action: req(str),
  resource: str,
  resource_type: str,
  justification: str,
  data_classification: { type: { enum: DATA_CLASSIFICATIONS } },
  actor_type: { type: 'str', default: 'agent' },
  actor_id: str,
  outcome: { type: 'str', default: 'allowed' },
  request_data: dict,
  response_data: dict,
};

export const BulkIngestRequest: ModelSpec = {
  traces: { type: { list: TraceCreate, model: 'TraceCreate' } },
  events: { type: { list: EventCreate, model: 'EventCreate' } },
  costs: { type: { list: CostCreate, model: 'CostCreate' } },
  compliance_events: { type: { list: ComplianceEventCreate, model: 'ComplianceEventCreate' } },
};

/** The seed's bulk contract as this project defines it (README): what a seed server needs to book an event. */
export const SeedEvent: ModelSpec = {
  event_id: req(str),
  agent_id: req(str),
  event_type: req(str),
  trace_id: req(str),
  session_id: req(str),
  input_tokens: req(int),
  output_tokens: req(int),
  cost_usd: req({ type: 'float' }),
  timestamp: req(str),
};

export const SeedBulkRequest: ModelSpec = { events: req({ type: { list: SeedEvent, model: 'TelemetryEvent' } }) };

// AgentWatch's built-in price table (USD per 1k tokens); unknown models cost 0.001 / 0.002.
export const MODEL_PRICING: Record<string, { input: number; output: number }> = {
  'claude-3-opus': { input: 0.015, output: 0.075 },
  'claude-3-sonnet': { input: 0.003, output: 0.015 },
  'claude-3-haiku': { input: 0.00025, output: 0.00125 },
  'claude-3-5-sonnet': { input: 0.003, output: 0.015 },
  'gpt-4': { input: 0.03, output: 0.06 },
  'gpt-4-turbo': { input: 0.01, output: 0.03 },
  'gpt-4o': { input: 0.005, output: 0.015 },
  'gpt-3.5-turbo': { input: 0.0005, output: 0.0015 },
  'gemini-pro': { input: 0.00025, output: 0.0005 },
  'gemini-1.5-pro': { input: 0.00125, output: 0.005 },
};

export function calculateCost(model: string, inputTokens: number, outputTokens: number): number {
  const price = MODEL_PRICING[model] ?? { input: 0.001, output: 0.002 };
  const usd = (inputTokens / 1000) * price.input + (outputTokens / 1000) * price.output;
  return Math.round(usd * 1e6) / 1e6;
}
