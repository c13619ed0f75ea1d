import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ModelPrice {
  /** USD per 1M input tokens. */
  input: number;
  /** USD per 1M output tokens. */
  output: number;
}

export const fakeModelPrices: Record<string, ModelPrice> = {
  'fake-model-1': { input: 3, output: 15 },
  'fake-model-mini': { input: 0.5, output: 1.5 },
};

/** Configured without a `cost`: OpenClaw cannot price it. */
export const UNPRICED_MODEL = 'fake-model-local';

export interface AgentSpec {
  id: string;
  /** Model id under the `fakellm` provider; defaults to fake-model-1. */
  model?: string;
  default?: boolean;
}

export const defaultAgents: AgentSpec[] = [{ id: 'main', default: true }, { id: 'ops', model: 'fake-model-mini' }];

export interface GatewayConfigSpec {
  port: number;
  token: string;
  /** Base URL of the fake LLM, ending in `/v1`. */
  fakeLlmUrl: string;
  agents: AgentSpec[];
  /** Where the gateway writes its rolling log (instead of the shared /tmp/openclaw). */
  logFile: string;
}

export function gatewayConfig(spec: GatewayConfigSpec): Record<string, unknown> {
  const models = [
    { id: 'fake-model-1', name: 'Fake Model 1', contextWindow: 128000, maxTokens: 4096 },
    { id: 'fake-model-mini', name: 'Fake Model Mini', contextWindow: 64000, maxTokens: 2048 },
    { id: UNPRICED_MODEL, name: 'Fake Local Model', contextWindow: 32000, maxTokens: 2048 },
  ].map((m) => {
    const price = fakeModelPrices[m.id];
    // A model without `cost` (a new or self-hosted one): OpenClaw counts its entries in missingCostEntries.
    return { ...m, reasoning: false, input: ['text'], ...(price ? { cost: { ...price, cacheRead: 0, cacheWrite: 0 } } : {}) };
  });
  const entries = Object.fromEntries(
    spec.agents.map((a) => [
      a.id,
      { ...(a.default ? { default: true } : {}), ...(a.model ? { model: { primary: `fakellm/${a.model}` } } : {}) },
    ]),
  );
  return {
    gateway: { mode: 'local', bind: 'loopback', port: spec.port, auth: { mode: 'token', token: spec.token } },
    logging: { file: spec.logFile },
    // memory-core otherwise schedules a nightly "dreaming" cron job (03:00) whose run would add a session mid-test.
    plugins: { entries: { 'memory-core': { config: { dreaming: { enabled: false } } } } },
    models: {
      mode: 'merge',
      providers: { fakellm: { baseUrl: spec.fakeLlmUrl, apiKey: 'fake-local', api: 'openai-completions', models } },
    },
    tools: { toolSearch: false },
    agents: { defaults: { model: { primary: 'fakellm/fake-model-1' }, heartbeat: { every: '0m' } }, entries },
  };
}

/** Writes `$home/.openclaw/openclaw.json` (JSON is valid JSON5). */
export function writeGatewayConfig(home: string, spec: GatewayConfigSpec): string {
  const dir = join(home, '.openclaw');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'openclaw.json');
  writeFileSync(file, `${JSON.stringify(gatewayConfig(spec), null, 2)}\n`, { mode: 0o600 });
  return file;
}
