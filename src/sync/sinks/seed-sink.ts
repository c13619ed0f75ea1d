import { toSeedEvent } from './seed-event.js';
import { AGENTWATCH_PROTOCOL } from './agentwatch-protocol.js';
import { postJson, type HttpEndpoint, type HttpTarget } from './http.js';
import type { Sink } from './sink.js';

/** The seed's contract: `POST /api/events/bulk {"events": [...]}`; any 2xx means the batch was accepted. */
export function createSeedSink(options: HttpEndpoint & { agentSuffix?: string }): Sink {
  // The seed contract is served by AgentWatch-style FastAPI servers: same retries, same words.
  const { agentSuffix: _suffix, ...endpoint } = options;
  const target: HttpTarget = { ...endpoint, protocol: AGENTWATCH_PROTOCOL };
  return {
    name: 'seed',
    async deliver(batch, ctx) {
      if (batch.length === 0) return;
      await postJson(target, '/api/events/bulk', { events: batch.map((d) => toSeedEvent(d, options.agentSuffix)) }, { signal: ctx.signal, answer: 'any' });
    },
  };
}
