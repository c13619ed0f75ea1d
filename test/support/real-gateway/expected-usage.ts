import type { FakeLlmCall } from './fake-llm.js';
import { fakeModelPrices, type ModelPrice } from './gateway-config.js';

export interface ExpectedUsage {
  input: number;
  output: number;
  totalTokens: number;
  /** USD from the configured per-1M prices. */
  totalCost: number;
  calls: number;
}

const empty = (): ExpectedUsage => ({ input: 0, output: 0, totalTokens: 0, totalCost: 0, calls: 0 });

function add(into: ExpectedUsage, call: FakeLlmCall, price: ModelPrice): void {
  into.input += call.usage.prompt_tokens;
  into.output += call.usage.completion_tokens;
  into.totalTokens += call.usage.total_tokens;
  into.totalCost += (call.usage.prompt_tokens * price.input + call.usage.completion_tokens * price.output) / 1e6;
  into.calls += 1;
}

/**
 * What the gateway should report, computed from what the fake LLM actually answered: per session key (from the
 * Runtime line of each request) and in total. Calls without a session key are counted in `unattributed`.
 */
export function expectedUsage(
  calls: readonly FakeLlmCall[],
  prices: Record<string, ModelPrice> = fakeModelPrices,
): { bySession: Map<string, ExpectedUsage>; totals: ExpectedUsage; unattributed: FakeLlmCall[] } {
  const bySession = new Map<string, ExpectedUsage>();
  const totals = empty();
  const unattributed: FakeLlmCall[] = [];
  for (const call of calls) {
    const price = prices[call.model];
    if (!price) throw new Error(`no price configured for model ${call.model}`);
    add(totals, call, price);
    if (!call.sessionKey) {
      unattributed.push(call);
      continue;
    }
    const session = bySession.get(call.sessionKey) ?? empty();
    add(session, call, price);
    bySession.set(call.sessionKey, session);
  }
  return { bySession, totals, unattributed };
}
