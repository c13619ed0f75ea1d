import type { SessionDelta } from '../delta.js';
import { ingest, patchTraceStatus } from './agentwatch-api.js';
import { AgentWatchIds } from './agentwatch-ids.js';
import { buildIngestBody, finalStatuses } from './agentwatch-payload.js';
import { AGENTWATCH_PROTOCOL } from './agentwatch-protocol.js';
import { describeBase } from './http-failure.js';
import type { HttpEndpoint, HttpTarget } from './http.js';
import { DeliveryError, type DeliveryContext, type Sink } from './sink.js';

export interface AgentWatchSinkOptions extends HttpEndpoint {
  /** Scopes the agent mapping, so two gateways syncing into one AgentWatch keep separate agents. */
  gatewayId: string;
  /** Appended to the names of agents this sink creates (` @ vps`); existing agents keep theirs (no rename). */
  agentSuffix?: string;
}

export const statusKey = (traceId: string): string => `aw:status:${traceId}`;

/**
 * The real AgentWatch API. Per batch: agents and traces are resolved (memory, then a search, then a create),
 * trace statuses are patched, and the batch's tokens and cost go out in ONE `POST /api/ingest` — the only request
 * that is not safe to repeat, so it comes last and a failure anywhere replays at most that one batch.
 */
export function createAgentWatchSink(options: AgentWatchSinkOptions): Sink {
  const target: HttpTarget = { ...options, protocol: AGENTWATCH_PROTOCOL };
  const ids = new AgentWatchIds(target, options.gatewayId, options.agentSuffix ?? '');

  async function resolveTraces(batch: readonly SessionDelta[], ctx: DeliveryContext): Promise<Map<string, string>> {
    const traceIds = new Map<string, string>();
    for (const d of batch) {
      if (traceIds.has(d.traceId)) continue;
      const agentUuid = await ids.agentId(d, ctx);
      traceIds.set(d.traceId, await ids.traceId(d, agentUuid, ctx));
    }
    return traceIds;
  }

  // A trace is born 'running'; patch only real changes (and a reopen after a terminal state).
  async function patchStatuses(batch: readonly SessionDelta[], traceIds: Map<string, string>, ctx: DeliveryContext): Promise<void> {
    for (const [syncTraceId, status] of finalStatuses(batch)) {
      const remembered = ctx.memory.get(statusKey(syncTraceId));
      if (remembered === status || (remembered === undefined && status === 'running')) continue;
      await patchTraceStatus(target, traceIds.get(syncTraceId) as string, status, ctx.signal);
      await ctx.memory.set(statusKey(syncTraceId), status);
    }
  }

  return {
    name: 'agentwatch',
    async deliver(batch, ctx) {
      if (batch.length === 0) return;
      const traceIds = await resolveTraces(batch, ctx);
      await patchStatuses(batch, traceIds, ctx);
      const body = buildIngestBody(batch, traceIds);
      if (body.costs.length === 0 && body.events.length === 0) return;
      ctx.signal?.throwIfAborted();
      // Not cancelled by pause/stop once sent (its deadline still applies): cutting a POST the server may already
      // have stored would only turn a finished delivery into a duplicate on the next replay.
      const answer = await ingest(target, body);
      if (answer.errors.length > 0) {
        const errors = answer.errors.slice(0, 3).map(String).join('; ');
        throw new DeliveryError('rejected', `AgentWatch at ${describeBase(options.baseUrl)} reported ingest errors (${errors}) — check the AgentWatch server log; this batch will not be retried.`);
      }
    },
  };
}
