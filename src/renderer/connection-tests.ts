import type { AgentWatchTestResult, GatewayTestResult } from '../shared/ipc-contract.js';
import type { RendererApi } from '../shared/renderer-api.js';
import { Settings } from '../shared/settings.js';
import { unwrap } from './api.js';
import { byId, errorText } from './dom.js';
import { formatInt } from './format.js';
import type { SettingsForm } from './settings-form.js';

type Outcome = { ok: boolean; lines: string[] };

function gatewayOutcome(r: GatewayTestResult): Outcome {
  const lines = [r.message];
  if (r.serverVersion) lines.push(`Gateway version ${r.serverVersion}`);
  if (r.scopes) lines.push(`Granted scopes: ${r.scopes.length > 0 ? r.scopes.join(', ') : 'none'}`);
  if (r.sessions !== undefined) lines.push(`${formatInt(r.sessions)} sessions visible`);
  return { ok: r.ok, lines };
}

function agentWatchOutcome(r: AgentWatchTestResult): Outcome {
  const lines = [r.message];
  if (r.sink) lines.push(`Sink detected: ${r.sink === 'agentwatch' ? 'AgentWatch API' : 'seed endpoint'}`);
  return { ok: r.ok, lines };
}

/** Wires one "Test connection" button: checks the URL field first, then asks main and renders the answer. */
function wire(doc: Document, buttonId: string, key: 'openclawUrl' | 'agentwatchUrl', run: (url: string) => Promise<Outcome>): void {
  const button = byId<HTMLButtonElement>(doc, buttonId);
  const out = byId(doc, `${buttonId}-result`);
  const show = (o: Outcome): void => {
    out.dataset['ok'] = String(o.ok);
    out.replaceChildren(...o.lines.map((l) => Object.assign(doc.createElement('div'), { textContent: l })));
  };
  button.addEventListener('click', async () => {
    const url = byId<HTMLInputElement>(doc, `f-${key}`).value;
    const check = Settings.shape[key].safeParse(url);
    if (!check.success) return show({ ok: false, lines: [`Fix the URL first: ${check.error.issues[0]?.message ?? 'invalid'}`] });
    button.disabled = true;
    out.dataset['ok'] = 'pending';
    out.textContent = 'Testing…';
    try {
      show(await run(check.data));
    } catch (error) {
      show({ ok: false, lines: [errorText(error)] });
    } finally {
      button.disabled = false;
    }
  });
}

export function wireConnectionTests(doc: Document, api: RendererApi, form: SettingsForm): void {
  wire(doc, 'test-gateway', 'openclawUrl', async (openclawUrl) => {
    const token = form.tokenDraft();
    return gatewayOutcome(await unwrap(api.testGateway({ openclawUrl, ...(token ? { token } : {}) })));
  });
  wire(doc, 'test-agentwatch', 'agentwatchUrl', async (agentwatchUrl) => {
    const apiKey = form.apiKeyDraft();
    return agentWatchOutcome(await unwrap(api.testAgentWatch({ agentwatchUrl, ...(apiKey ? { apiKey } : {}) })));
  });
}
