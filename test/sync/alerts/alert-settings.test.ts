import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCliArgs } from '../../../src/cli/cli-args.js';
import { loadSettings } from '../../../src/cli/load-settings.js';
import { resolveAlertSecrets } from '../../../src/sync/alerts/alert-secrets.js';
import { demoWorld } from '../../../src/sim/demo-world.js';
import { systemClock } from '../../../src/sync/ports.js';
import { startPeers, tempDir } from '../../support/engine-kit.js';
import { runCli } from '../../support/run-cli.js';
import { startPagerDutyReceiver, startSlackReceiver } from '../../support/webhook-receivers.js';

const HOOK = 'https://hooks.slack.com/services/T000/B000/secretsecretsecret';

test('alert flags and env vars fill settings.alerts; defaults are failing 5 min, failed sessions on, limits off', async () => {
  const defaults = (await loadSettings({}, {})).alerts;
  assert.deepEqual(defaults, { slackEnabled: true, pagerdutyEnabled: true, pagerdutyUrl: 'https://events.pagerduty.com/v2/enqueue', failingMinutes: 5, failedSessions: true });
  const { values } = parseCliArgs(['--slack-webhook-file', '/run/secrets/slack', '--alert-failing-minutes', '0', '--alert-session-tokens', '200000', '--alert-session-usd', '2.5', '--alert-day-tokens', '5000000', '--alert-day-usd', '40']);
  const s = await loadSettings(values, { AGENTWATCH_SYNC_PAGERDUTY_KEY_FILE: '/run/secrets/pd' });
  assert.deepEqual(s.alerts, {
    slackWebhookFile: '/run/secrets/slack', pagerdutyRoutingKeyFile: '/run/secrets/pd', slackEnabled: true, pagerdutyEnabled: true, pagerdutyUrl: 'https://events.pagerduty.com/v2/enqueue',
    failingMinutes: 0, sessionTokenLimit: 200_000, sessionUsdLimit: 2.5, dayTokenLimit: 5_000_000, dayUsdLimit: 40, failedSessions: true,
  });
  await assert.rejects(loadSettings(parseCliArgs(['--alert-day-usd=0']).values, {}), /Invalid setting alerts\.dayUsdLimit \(--alert-day-usd\)/);
});

test('a config file holding the webhook URL or routing key itself is refused with the next step', async () => {
  const dir = await tempDir();
  try {
    const file = join(dir.path, 'config.json');
    await writeFile(file, JSON.stringify({ alerts: { slackWebhookUrl: HOOK } }));
    await assert.rejects(loadSettings({ config: file }, {}), (e: Error) => /alerts\.slackWebhookUrl.*alerts\.slackWebhookFile/.test(e.message) && !e.message.includes('secretsecret'));
    await writeFile(file, JSON.stringify({ alerts: { failingMinutes: 10, pagerdutyUrl: 'http://127.0.0.1:9/v2/enqueue' } }));
    const s = await loadSettings({ config: file, 'alert-failing-minutes': '3' }, {});
    assert.deepEqual([s.alerts.failingMinutes, s.alerts.pagerdutyUrl], [3, 'http://127.0.0.1:9/v2/enqueue']);
  } finally {
    await dir.remove();
  }
});

test('secrets come from their files first, then the env; bad values fail with CONFIG errors that never echo them', async () => {
  const files: Record<string, string> = { '/s/slack': `${HOOK}\n`, '/s/pd': ' R0123456789abcdef \n', '/s/empty': '\n', '/s/bad': 'not a url secretsecret' };
  const readFile = async (p: string) => {
    if (p in files) return files[p]!;
    throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
  };
  const env = { AGENTWATCH_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/ENV', AGENTWATCH_PAGERDUTY_ROUTING_KEY: 'envkey' };
  const fromFiles = await resolveAlertSecrets({ alerts: { slackWebhookFile: '/s/slack', pagerdutyRoutingKeyFile: '/s/pd' }, env, readFile });
  assert.deepEqual(fromFiles, { slackWebhookUrl: HOOK, pagerdutyRoutingKey: 'R0123456789abcdef', sources: ['Slack webhook URL from /s/slack', 'PagerDuty routing key from /s/pd'] });
  const fromEnv = await resolveAlertSecrets({ alerts: {}, env, readFile });
  assert.deepEqual([fromEnv.slackWebhookUrl, fromEnv.pagerdutyRoutingKey], ['https://hooks.slack.com/services/ENV', 'envkey']);
  assert.deepEqual(await resolveAlertSecrets({ alerts: {}, env: {}, readFile }), { sources: [] });
  await assert.rejects(resolveAlertSecrets({ alerts: { slackWebhookFile: '/s/empty' }, env: {}, readFile }), /file \/s\/empty is empty/);
  await assert.rejects(resolveAlertSecrets({ alerts: { pagerdutyRoutingKeyFile: '/s/missing' }, env: {}, readFile }), /Cannot read the PagerDuty routing key file \/s\/missing/);
  await assert.rejects(resolveAlertSecrets({ alerts: { slackWebhookFile: '/s/bad' }, env: {}, readFile }), (e: Error & { code?: string }) => e.code === 'CONFIG' && /not an http\(s\) URL/.test(e.message) && !e.message.includes('secretsecret'));
  await assert.rejects(resolveAlertSecrets({ alerts: {}, env: { AGENTWATCH_PAGERDUTY_ROUTING_KEY: 'two words' }, readFile }), /contains whitespace/);
});

test('the CLI sends a failed --once poll to Slack and PagerDuty before it exits, and never logs either secret', async () => {
  const world = demoWorld(systemClock);
  const peers = await startPeers({ sessions: () => world.rows(), usage: () => world.usagePayload() });
  const slack = await startSlackReceiver();
  const routingKey = 'cli0123456789abcdef0123456789abc';
  const pd = await startPagerDutyReceiver(routingKey);
  const dir = await tempDir();
  try {
    const write = async (name: string, text: string) => {
      const p = join(dir.path, name);
      await writeFile(p, text);
      return p;
    };
    const args = [
      '--once', '--no-live', '--openclaw-url', peers.gateway.url, '--agentwatch-url', peers.agentwatch.url, '--state-dir', join(dir.path, 'state'),
      '--token-file', await write('token', 'f00d'.repeat(10)),
      '--slack-webhook-file', await write('slack', slack.endpoint),
      '--pagerduty-key-file', await write('pd', routingKey),
      '--config', await write('config.json', JSON.stringify({ alerts: { pagerdutyUrl: pd.endpoint } })),
      '--alert-failing-minutes', '0',
    ];
    const run = await runCli(args);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Alerts: Slack webhook URL from .*slack, PagerDuty routing key from .*pd — sync failing 0 min/);
    assert.equal(slack.accepted.length, 1, run.stderr);
    assert.match(slack.accepted[0]!.text, /sync failing .*token/i);
    assert.deepEqual(pd.accepted.map((e) => [e.event_action, e.payload?.severity]), [['trigger', 'critical']]);
    assert.deepEqual([...slack.problems, ...pd.problems], []);
    assert.ok(!run.stderr.includes(slack.endpoint) && !run.stderr.includes(routingKey), 'secrets are redacted');
  } finally {
    await slack.close();
    await pd.close();
    await peers.close();
    await dir.remove();
  }
});
