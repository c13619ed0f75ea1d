import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupKey, type Alert } from '../../../src/sync/alerts/alert.js';
import { pagerDutyEvent } from '../../../src/sync/alerts/pagerduty-event.js';
import { slackMessage } from '../../../src/sync/alerts/slack-message.js';
import { pagerDutyProblems, slackProblems } from '../../support/webhook-shapes.js';

const AT = Date.UTC(2026, 10, 20, 8, 30);
const base: Alert = { key: 'sync-failing', action: 'trigger', severity: 'critical', summary: 'AgentWatch sync failing for 5 minutes', details: { consecutiveErrors: 4, lastError: 'refused', lastSuccessAt: null } };
const pd = (a: Alert, gatewayId = '127.0.0.1:18789') => pagerDutyEvent(a, { routingKey: 'rk-0123456789', gatewayId, source: 'host-1', at: AT });

test('a Slack message is valid Block Kit: fallback text, header, summary, detail fields without nulls, context', () => {
  const m = slackMessage(base, { gatewayId: '127.0.0.1:18789', at: AT });
  assert.deepEqual(slackProblems(m), []);
  assert.equal(m.text, ':rotating_light: AgentWatch sync failing for 5 minutes');
  assert.deepEqual(m.blocks.map((b) => b.type), ['header', 'section', 'section', 'context']);
  const fields = (m.blocks[2] as { fields: Array<{ text: string }> }).fields.map((f) => f.text);
  assert.deepEqual(fields, ['*consecutiveErrors*\n4', '*lastError*\nrefused']);
  assert.match(JSON.stringify(m.blocks[3]), /gateway 127\.0\.0\.1:18789 · sync-failing · 2026-11-20T08:30:00\.000Z/);
});

test('a Slack resolve reads "Resolved"; markup in error text is escaped and long text stays inside Slack limits', () => {
  const resolved = slackMessage({ ...base, action: 'resolve', severity: 'info', summary: 'recovered' }, { gatewayId: 'gw', at: AT });
  assert.match(resolved.text, /^:white_check_mark: Resolved: recovered$/);
  assert.match(JSON.stringify(resolved.blocks[0]), /AgentWatch sync · Resolved/);
  const noisy = slackMessage({ ...base, summary: `<!channel> & ${'x'.repeat(5000)}`, details: Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`k${i}`, 'v'.repeat(3000)])) }, { gatewayId: 'gw', at: AT });
  assert.deepEqual(slackProblems(noisy), []);
  const section = noisy.blocks[1] as { text: { text: string } };
  assert.ok(section.text.text.startsWith(':rotating_light: &lt;!channel&gt; &amp; x'), 'no @channel ping from error text');
  assert.equal((noisy.blocks[2] as { fields: unknown[] }).fields.length, 10);
});

test('a PagerDuty trigger has every v2 field; the summary is capped at 1024 characters', () => {
  const e = pd({ ...base, summary: 's'.repeat(2000) });
  assert.deepEqual(pagerDutyProblems(e), []);
  assert.equal(e.event_action, 'trigger');
  if (e.event_action !== 'trigger') return;
  assert.equal(e.payload.summary.length, 1024);
  assert.deepEqual(
    { ...e.payload, summary: undefined },
    {
      summary: undefined, source: 'host-1', severity: 'critical', timestamp: '2026-11-20T08:30:00.000Z', component: 'agentwatch-sync', group: '127.0.0.1:18789', class: 'sync-failing',
      custom_details: { consecutiveErrors: 4, lastError: 'refused', lastSuccessAt: null, gateway: '127.0.0.1:18789', alertKey: 'sync-failing' },
    },
  );
});

test('a PagerDuty resolve carries only routing_key, event_action and the trigger\'s dedup_key', () => {
  const trigger = pd(base);
  const resolve = pd({ ...base, action: 'resolve', severity: 'info', summary: 'recovered' });
  assert.deepEqual(pagerDutyProblems(resolve), []);
  assert.deepEqual(resolve, { routing_key: 'rk-0123456789', event_action: 'resolve', dedup_key: trigger.dedup_key });
  assert.equal(trigger.dedup_key, 'agentwatch-sync:127.0.0.1:18789:sync-failing');
});

test('dedup keys stay within 255 characters and stay stable and distinct for long gateway names', () => {
  const host = `${'very-long-gateway-host-name.'.repeat(10)}example.com:443`;
  const a = dedupKey(host, 'session-failed:0f1e2d3c-aaaa-5bbb-8ccc-000000000001');
  const b = dedupKey(host, 'session-failed:0f1e2d3c-aaaa-5bbb-8ccc-000000000002');
  assert.ok(a.length <= 255 && b.length <= 255);
  assert.notEqual(a, b);
  assert.equal(a, dedupKey(host, 'session-failed:0f1e2d3c-aaaa-5bbb-8ccc-000000000001'));
  assert.deepEqual(pagerDutyProblems(pd({ ...base, key: 'session-failed:0f1e2d3c-aaaa-5bbb-8ccc-000000000001' }, host)), []);
});

test('the receivers\' shape checks reject what Slack and PagerDuty reject', () => {
  assert.notDeepEqual(slackProblems({ blocks: [] }), []);
  assert.notDeepEqual(slackProblems({ text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] }), []);
  assert.notDeepEqual(slackProblems({ text: 'x', blocks: [{ type: 'section' }] }), []);
  assert.notDeepEqual(pagerDutyProblems({ routing_key: 'k', event_action: 'trigger', payload: { summary: 'x', source: 'h', severity: 'fatal' } }), []);
  assert.notDeepEqual(pagerDutyProblems({ routing_key: 'k', event_action: 'resolve' }), []);
  assert.notDeepEqual(pagerDutyProblems({ event_action: 'trigger', payload: { summary: 'x', source: 'h', severity: 'info' } }), []);
});
