import type { Alert } from './alert.js';
import type { AlertTarget } from './alert-targets.js';
import { postWebhook, type WebhookResult } from './post-webhook.js';
import type { TargetRefusals } from './target-refusals.js';

export interface TestAlertResult {
  ok: boolean;
  /** One line: what the target answered and, on a refusal, what to change. Never the secret. */
  message: string;
}

export interface TestAlertOptions {
  timeoutMs: number;
  now: () => number;
  /** A target that accepts the test is trusted again: its earlier refusal is forgotten. */
  refusals?: TargetRefusals;
}

function testAlert(at: number, action: Alert['action']): Alert {
  return {
    key: `test:${at}`,
    action,
    severity: 'info',
    summary: 'Test alert from AgentWatch Sync: alerts reach this target.',
    details: { test: 'sent from Settings → Alerts → Send test alert' },
  };
}

function failure(target: AlertTarget, r: Exclude<WebhookResult, { ok: true }>): string {
  if (r.status !== undefined) {
    const next = r.retryable ? `try again later (${target.name} is busy or down)` : target.advice(r.status);
    return `${target.name} refused the test alert (${r.reason}) — ${next}.`;
  }
  return `${target.name} did not answer the test alert (${r.reason}) — check the network and the ${target.kind === 'slack' ? 'webhook URL' : 'PagerDuty URL'}.`;
}

/**
 * Sends one test alert, no retries, and words the answer. PagerDuty's test event is resolved right after its
 * trigger, so the test never leaves an open incident.
 */
export async function sendTestAlert(target: AlertTarget, o: TestAlertOptions): Promise<TestAlertResult> {
  const at = o.now();
  const post = (action: Alert['action']) => postWebhook(target.url, target.body(testAlert(at, action), at), { timeoutMs: o.timeoutMs, now: o.now });
  const sent = await post('trigger');
  if (!sent.ok) return { ok: false, message: failure(target, sent) };
  o.refusals?.clear(target.kind);
  if (target.kind === 'slack') return { ok: true, message: `Slack accepted the test alert (HTTP ${sent.status}): look for it in the webhook's channel.` };
  const resolved = await post('resolve');
  if (!resolved.ok) return { ok: true, message: `PagerDuty accepted the test event (HTTP ${sent.status}) but not its resolve (${resolved.reason}): resolve the test incident by hand.` };
  return { ok: true, message: `PagerDuty accepted the test event (HTTP ${sent.status}) and its resolve: it shows as a resolved incident.` };
}
