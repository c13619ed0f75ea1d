import { microsToUsd, type SessionDelta, type TraceStatus } from '../delta.js';

/** The seed's telemetry event (`event_type: "execution"`) plus `event_id` and `cost_usd`. */
export interface SeedEvent {
  event_id: string;
  agent_name: string;
  agent_id: string;
  event_type: 'execution';
  trace_id: string;
  session_id: string;
  input_tokens: number;
  output_tokens: number;
  model: string | null;
  status: TraceStatus;
  metadata: {
    kind: string;
    label: string | null;
    channel: string | null;
    context_used_pct: number | null;
    session_key: string;
    openclaw_session_id: string;
    openclaw_status: string | null;
    model_provider: string | null;
    cache_read_tokens: number;
    cache_write_tokens: number;
    /** Entries OpenClaw could not price: cost_usd leaves them out. */
    unpriced_entries: number;
  };
  cost_usd: number;
  timestamp: string;
}

/** ISO-8601 UTC to the second, the seed's format: `2026-02-10T20:31:15Z`. */
export function seedTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A label when the session has one, else a name built from the agent and the session class: `main/subagent`. */
export function agentDisplayName(delta: Pick<SessionDelta, 'label' | 'agentId' | 'classification'>): string {
  const label = delta.label?.trim();
  return label ? label : `${delta.agentId}/${delta.classification}`;
}

/** `agentSuffix` (` @ vps`) keeps the agents of a gateway added later apart from the first one's. */
export function toSeedEvent(delta: SessionDelta, agentSuffix = ''): SeedEvent {
  return {
    event_id: delta.id,
    agent_name: `${agentDisplayName(delta)}${agentSuffix}`,
    agent_id: `${delta.agentId}${agentSuffix}`,
    event_type: 'execution',
    trace_id: delta.traceId,
    session_id: delta.sessionKey,
    input_tokens: delta.tokens.input,
    output_tokens: delta.tokens.output,
    model: delta.model,
    status: delta.status,
    metadata: {
      kind: delta.classification,
      label: delta.label,
      channel: delta.channel,
      context_used_pct: delta.contextUsedPct,
      session_key: delta.sessionKey,
      openclaw_session_id: delta.sessionId,
      openclaw_status: delta.openclawStatus,
      model_provider: delta.modelProvider,
      cache_read_tokens: delta.tokens.cacheRead,
      cache_write_tokens: delta.tokens.cacheWrite,
      unpriced_entries: delta.unpricedEntries,
    },
    cost_usd: microsToUsd(delta.costMicros),
    timestamp: seedTimestamp(delta.observedAt),
  };
}
