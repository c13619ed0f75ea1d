import { toSeedEvent } from './seed-event.js';
import { postJson, type HttpTarget } from './http-json.js';
import type { Sink } from './sink.js';

export interface SeedSinkOptions {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  maxResponseBytes?: number;
}

/** The seed's contract: `POST /api/events/bulk {"events": [...]}`; any 2xx means the batch was accepted. */
export function createSeedSink(options: SeedSinkOptions): Sink {
  const target: HttpTarget = { ...options };
  return {
    name: 'seed',
    async deliver(batch, ctx) {
      if (batch.length === 0) return;
      await postJson(target, '/api/events/bulk', { events: batch.map(toSeedEvent) }, { signal: ctx.signal, requireJson: false });
    },
  };
}
