import { routingKeyProblem, slackUrlProblem } from '../shared/alert-secret-checks.js';
import type { AlertsView, SettingsSaveInput, SettingsView } from '../shared/ipc-contract.js';
import type { RendererApi } from '../shared/renderer-api.js';
import { unwrap } from './api.js';
import { byId, errorText } from './dom.js';
import type { FieldErrors } from './validate-settings.js';

// The window's Alerts card: the two webhook secrets (write-only, like the gateway token), each target's off switch
// and "Send test alert", and the rules (descriptor-built fields, placed by renderSettingFields after this runs).

type Kind = 'slack' | 'pagerduty';

interface TargetCopy {
  kind: Kind;
  secret: 'slackWebhookUrl' | 'pagerdutyRoutingKey';
  label: string;
  hint: string;
  enabled: string;
  problem: (value: string) => string | null;
}

const TARGETS: readonly TargetCopy[] = [
  {
    kind: 'slack',
    secret: 'slackWebhookUrl',
    label: 'Slack webhook URL',
    hint: 'An incoming-webhook URL from your Slack app (https://hooks.slack.com/services/…). It is a secret: kept in the OS keychain, never shown again.',
    enabled: 'alerts.slackEnabled',
    problem: (v) => (slackUrlProblem(v) ? `The URL ${slackUrlProblem(v)}` : null),
  },
  {
    kind: 'pagerduty',
    secret: 'pagerdutyRoutingKey',
    label: 'PagerDuty routing key',
    hint: 'The Integration Key of an "Events API v2" integration on the service to page.',
    enabled: 'alerts.pagerdutyEnabled',
    problem: (v) => (routingKeyProblem(v) ? `The key ${routingKeyProblem(v)}` : null),
  },
];

function el(doc: Document, tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const slot = (doc: Document, path: string) => el(doc, 'div', { 'data-setting': path });

function targetBlock(doc: Document, t: TargetCopy): HTMLElement {
  const id = `f-${t.secret}`;
  const field = el(doc, 'div', { class: 'field' });
  field.append(
    el(doc, 'label', { for: id }, t.label),
    el(doc, 'input', { id, 'data-path': t.secret, type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-hint ${id}-error` }),
    el(doc, 'p', { id: `${id}-hint`, class: 'hint' }, t.hint),
    el(doc, 'p', { id: `${id}-error`, class: 'field-error' }),
  );
  const row = el(doc, 'div', { class: 'test-row' });
  row.append(
    el(doc, 'button', { id: `test-alert-${t.kind}`, type: 'button' }, 'Send test alert'),
    el(doc, 'div', { id: `test-alert-${t.kind}-result`, class: 'test-result', role: 'status', 'aria-live': 'polite' }),
  );
  const checks = el(doc, 'div', { class: 'checks' });
  checks.append(slot(doc, t.enabled));
  const block = el(doc, 'div', { class: 'alert-target' });
  block.append(field, checks, row, el(doc, 'p', { id: `alert-${t.kind}-refused`, class: 'hint warn', role: 'status', hidden: '' }));
  return block;
}

/** Puts the Alerts card where index.html has `#alerts-section`; must run before renderSettingFields. */
export function renderAlertsSection(doc: Document): void {
  const card = el(doc, 'fieldset', { class: 'card', id: 'alerts-card' });
  card.append(
    el(doc, 'legend', {}, 'Alerts'),
    el(doc, 'p', { class: 'hint' }, 'Webhook alerts, the same as the headless sync sends. Desktop notifications are under Monitoring.'),
    ...TARGETS.map((t) => targetBlock(doc, t)),
    el(doc, 'p', { id: 'alerts-problem', class: 'field-error', role: 'alert', hidden: '' }),
    el(doc, 'p', { class: 'group-title' }, 'Rules'),
  );
  const row = (...paths: string[]) => {
    const r = el(doc, 'div', { class: 'row' });
    r.append(...paths.map((p) => slot(doc, p)));
    return r;
  };
  const checks = el(doc, 'div', { class: 'checks' });
  checks.append(slot(doc, 'alerts.failedSessions'));
  card.append(
    slot(doc, 'alerts.failingMinutes'),
    row('alerts.dayTokenLimit', 'alerts.dayUsdLimit'),
    row('alerts.sessionTokenLimit', 'alerts.sessionUsdLimit'),
    checks,
    el(doc, 'p', { class: 'hint' }, 'Recovery and events AgentWatch rejected (dead-lettered) always alert. Empty limits are off; a daily budget alerts once per local day.'),
  );
  byId(doc, 'alerts-section').replaceWith(card);
}

/** Fills, reads and checks the card's secrets and wires its test buttons; the rules go through the shared form. */
export class AlertsSection {
  constructor(
    private readonly doc: Document,
    api: RendererApi,
  ) {
    for (const t of TARGETS) this.wireTest(t, api);
  }

  private input(t: TargetCopy): HTMLInputElement {
    return byId<HTMLInputElement>(this.doc, `f-${t.secret}`);
  }

  fill(view: SettingsView): void {
    const alerts: AlertsView | undefined = view.alerts;
    for (const t of TARGETS) {
      const input = this.input(t);
      input.value = '';
      input.placeholder = alerts?.[t.kind].stored ? 'stored — type to replace' : 'not set';
      const refused = byId(this.doc, `alert-${t.kind}-refused`);
      const line = alerts?.[t.kind].refused;
      refused.hidden = line === undefined;
      refused.textContent = line ? `Stopped: ${line} Nothing more is sent there until you change it.` : '';
    }
    const problem = byId(this.doc, 'alerts-problem');
    problem.hidden = alerts?.problem === undefined;
    problem.textContent = alerts?.problem ?? '';
  }

  /** Empty fields keep what is stored, so they are left out of the save. */
  saveInput(): Pick<SettingsSaveInput, 'slackWebhookUrl' | 'pagerdutyRoutingKey'> {
    const out: Pick<SettingsSaveInput, 'slackWebhookUrl' | 'pagerdutyRoutingKey'> = {};
    for (const t of TARGETS) {
      const value = this.input(t).value.trim();
      if (value !== '') out[t.secret] = value;
    }
    return out;
  }

  errors(): FieldErrors {
    const errors: FieldErrors = {};
    for (const t of TARGETS) {
      const value = this.input(t).value.trim();
      const problem = value === '' ? null : t.problem(value);
      if (problem) errors[t.secret] = problem;
    }
    return errors;
  }

  private wireTest(t: TargetCopy, api: RendererApi): void {
    const button = byId<HTMLButtonElement>(this.doc, `test-alert-${t.kind}`);
    const out = byId(this.doc, `test-alert-${t.kind}-result`);
    const show = (ok: boolean | 'pending', text: string) => {
      out.dataset['ok'] = String(ok);
      out.textContent = text;
    };
    button.addEventListener('click', async () => {
      const secret = this.input(t).value.trim();
      const problem = secret === '' ? null : t.problem(secret);
      if (problem) return show(false, `Fix the ${t.label} first: ${problem}`);
      button.disabled = true;
      show('pending', 'Sending…');
      try {
        const r = await unwrap(api.testAlert({ target: t.kind, ...(secret ? { secret } : {}) }));
        show(r.ok, r.message);
        // Main lifts a 4xx stop when a test gets through.
        if (r.ok) byId(this.doc, `alert-${t.kind}-refused`).hidden = true;
      } catch (error) {
        show(false, errorText(error));
      } finally {
        button.disabled = false;
      }
    });
  }
}
