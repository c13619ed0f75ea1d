import type { SessionDelta } from '../delta.js';
import { collectPages, createAgent, createTrace, listAgents, listTraces } from './agentwatch-api.js';
import type { HttpTarget } from './http.js';
import type { DeliveryContext } from './sink.js';

export const agentKey = (gatewayId: string, agentId: string): string => `aw:agent:${gatewayId}:${agentId}`;
export const traceKey = (traceId: string): string => `aw:trace:${traceId}`;

/**
 * Maps OpenClaw agents and sessions to the AgentWatch agent and trace ids the server made.
 * Memory is the record; when it has no entry, the server is searched before anything is created, because a crash
 * (or a timeout after the server accepted) between create and remember leaves a row we made but never recorded.
 * A search result is cached for the process and dropped whenever one of our creates fails, which is the only way
 * an unrecorded row of ours can appear after the search.
 */
export class AgentWatchIds {
  private agentsFound: Map<string, string> | undefined;
  private readonly tracesFound = new Map<string, Map<string, string>>();

  constructor(
    private readonly target: HttpTarget,
    private readonly gatewayId: string,
    private readonly agentSuffix = '',
  ) {}

  async agentId(delta: SessionDelta, ctx: DeliveryContext): Promise<string> {
    const key = agentKey(this.gatewayId, delta.agentId);
    const remembered = ctx.memory.get(key);
    if (remembered) return remembered;
    this.agentsFound ??= await this.searchAgents(ctx.signal);
    let id = this.agentsFound.get(delta.agentId);
    if (id === undefined) {
      const body = {
        name: `${delta.agentId}${this.agentSuffix}`,
        description: `OpenClaw agent ${delta.agentId} (synced by AgentWatch Live Sync)`,
        agent_type: 'openclaw',
        config: { source: 'agentwatch-live-sync', gateway_id: this.gatewayId, openclaw_agent_id: delta.agentId },
      };
      try {
        id = await createAgent(this.target, body, ctx.signal);
      } catch (e) {
        this.agentsFound = undefined;
        throw e;
      }
      this.agentsFound.set(delta.agentId, id);
    }
    await ctx.memory.set(key, id);
    return id;
  }

  async traceId(delta: SessionDelta, agentUuid: string, ctx: DeliveryContext): Promise<string> {
    const key = traceKey(delta.traceId);
    const remembered = ctx.memory.get(key);
    if (remembered) return remembered;
    let found = this.tracesFound.get(agentUuid);
    if (!found) {
      found = await this.searchTraces(agentUuid, ctx.signal);
      this.tracesFound.set(agentUuid, found);
    }
    let id = found.get(delta.traceId);
    if (id === undefined) {
      const body = {
        agent_id: agentUuid,
        session_id: delta.sessionKey,
        task_type: delta.classification,
        input_summary: delta.label ?? delta.sessionKey,
        attributes: {
          sync_trace_id: delta.traceId,
          openclaw_session_key: delta.sessionKey,
          openclaw_session_id: delta.sessionId,
          channel: delta.channel,
          model: delta.model,
          model_provider: delta.modelProvider,
        },
      };
      try {
        id = await createTrace(this.target, body, ctx.signal);
      } catch (e) {
        this.tracesFound.delete(agentUuid);
        throw e;
      }
      found.set(delta.traceId, id);
      ctx.onMilestone?.('after-trace-create');
    }
    await ctx.memory.set(key, id);
    return id;
  }

  private async searchAgents(signal?: AbortSignal): Promise<Map<string, string>> {
    const rows = await collectPages((skip, limit) => listAgents(this.target, skip, limit, signal));
    const found = new Map<string, string>();
    for (const row of rows) {
      const ocId = row.config?.openclaw_agent_id;
      if (row.config?.gateway_id === this.gatewayId && typeof ocId === 'string' && !found.has(ocId)) found.set(ocId, row.id);
    }
    return found;
  }

  private async searchTraces(agentUuid: string, signal?: AbortSignal): Promise<Map<string, string>> {
    const rows = await collectPages((skip, limit) => listTraces(this.target, agentUuid, skip, limit, signal));
    const found = new Map<string, string>();
    // The server lists newest first; keep the oldest row so every search picks the same one.
    for (const row of rows.reverse()) {
      const syncId = row.attributes?.sync_trace_id;
      if (typeof syncId === 'string' && !found.has(syncId)) found.set(syncId, row.id);
    }
    return found;
  }
}
