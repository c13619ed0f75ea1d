import type { SessionDelta } from '../delta.js';

export interface UsageTotals {
  agent: string;
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Integer micro-USD, so the sum stays exact; converted to USD once, at scrape time. */
  costMicros: number;
  /** Entries OpenClaw could not price: their cost is not in costMicros. */
  unpriced: number;
}

/** Tokens and cost AgentWatch accepted, summed per agent and model from the delivered batches. */
export class DeliveredTotals {
  private readonly byLabel = new Map<string, UsageTotals>();

  add(batch: readonly SessionDelta[]): void {
    for (const d of batch) {
      const agent = d.agentId;
      const model = d.model ?? 'unknown';
      const key = `${agent}\u0000${model}`;
      let t = this.byLabel.get(key);
      if (!t) {
        t = { agent, model, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costMicros: 0, unpriced: 0 };
        this.byLabel.set(key, t);
      }
      t.input += d.tokens.input;
      t.output += d.tokens.output;
      t.cacheRead += d.tokens.cacheRead;
      t.cacheWrite += d.tokens.cacheWrite;
      t.costMicros += d.costMicros;
      t.unpriced += d.unpricedEntries;
    }
  }

  all(): IterableIterator<UsageTotals> {
    return this.byLabel.values();
  }
}
