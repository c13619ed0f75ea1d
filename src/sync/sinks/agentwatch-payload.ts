import { microsToUsd, totalTokens, type SessionDelta, type TraceStatus } from '../delta.js';
import type { IngestBody } from './agentwatch-api.js';

/**
 * The batch as one `/api/ingest` body: a Cost row per delta carries OpenClaw's exact amount, and an `llm_call`
 * event per delta with tokens shows the activity. Events sent through ingest book no cost of their own, so nothing
 * is counted twice (POST /api/events would book a second, differently priced Cost row). Entries OpenClaw could not
 * price ride on the event as `unpriced_entries`: AgentWatch's Cost rows have no attributes (extra fields are dropped).
 */
export function buildIngestBody(batch: readonly SessionDelta[], traceIds: ReadonlyMap<string, string>): IngestBody {
  const body: IngestBody = { costs: [], events: [] };
  for (const d of batch) {
    const traceId = traceIds.get(d.traceId);
    if (traceId === undefined) throw new Error(`no AgentWatch trace for ${d.traceId}`);
    const tokens = totalTokens(d.tokens);
    // Negative figures are live-mode corrections (rounding, or a run announced with stale numbers) settled by the
    // cumulative usage; sending them keeps AgentWatch's sums equal to OpenClaw's.
    if (d.costMicros !== 0 || d.tokens.input !== 0 || d.tokens.output !== 0) {
      body.costs.push({
        trace_id: traceId,
        amount: microsToUsd(d.costMicros),
        currency: 'USD',
        category: 'llm',
        subcategory: d.classification,
        model: d.model,
        input_tokens: d.tokens.input,
        output_tokens: d.tokens.output,
      });
    }
    if (tokens > 0 || d.unpricedEntries > 0) {
      body.events.push({
        trace_id: traceId,
        event_type: 'llm_call',
        event_name: 'openclaw.run',
        model: d.model,
        input_tokens: d.tokens.input,
        output_tokens: d.tokens.output,
        status: 'success',
        attributes: {
          sync_event_id: d.id,
          cost_usd: microsToUsd(d.costMicros),
          // cost_usd leaves these entries out: above 0 it is a lower bound.
          unpriced_entries: d.unpricedEntries,
          cache_read_tokens: d.tokens.cacheRead,
          cache_write_tokens: d.tokens.cacheWrite,
          session_key: d.sessionKey,
        },
      });
    }
  }
  return body;
}

/** The last status each trace reaches in the batch, in first-seen order. */
export function finalStatuses(batch: readonly SessionDelta[]): Map<string, TraceStatus> {
  const statuses = new Map<string, TraceStatus>();
  for (const d of batch) statuses.set(d.traceId, d.status);
  return statuses;
}
