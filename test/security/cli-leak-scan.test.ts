import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSimAgentWatch } from '../../src/sim/agentwatch-server.js';
import { demoWorld } from '../../src/sim/demo-world.js';
import { startSimGateway } from '../../src/sim/gateway-server.js';
import { systemClock } from '../../src/sync/ports.js';
import { tempDir } from '../support/engine-kit.js';
import { repoRoot, runCli } from '../support/run-cli.js';
import { startPagerDutyReceiver, startSlackReceiver } from '../support/webhook-receivers.js';
import { waitUntil } from '../sync/sinks/wait-until.js';
import { canary, findLeaks, seedDeviceKey, type Secrets } from './leak-kit.js';

// The CLI as shipped, every secret from its own source (files), against the loopback gateway and AgentWatch with
// failures on the way (a rejected batch, a Slack 500), then every output scanned for every secret.
test('no secret reaches the CLI log, stdout/stderr, /metrics, /healthz, AgentWatch or the alert text', async (t) => {
  const dir = await tempDir('aw-leak-cli-');
  t.after(() => dir.remove());
  const secrets: Secrets = {
    'gateway token': canary('gwtok'),
    'AgentWatch API key': canary('awkey'),
    'PagerDuty routing key': canary('pdkey'),
  };
  const slackPath = `/services/TLEAK/BLEAK/${canary('slack')}`;
  secrets['Slack webhook URL'] = slackPath.slice(1);
  const stateDir = join(dir.path, 'state');
  Object.assign(secrets, seedDeviceKey(stateDir));

  const world = demoWorld(systemClock);
  world.keys().forEach((k, i) => world.finishRun(k, 1_500 + i, 15 + i));
  const gateway = await startSimGateway({ token: secrets['gateway token']!, sessions: () => world.rows(), usage: () => world.usagePayload() });
  const agentwatch = await startSimAgentWatch();
  const slack = await startSlackReceiver(slackPath);
  const pagerduty = await startPagerDutyReceiver(secrets['PagerDuty routing key']!);
  t.after(async () => {
    await gateway.close();
    await agentwatch.close();
    await slack.close();
    await pagerduty.close();
  });
  // Rejected batches are split and then dead-lettered (the alert fires); the first Slack post fails and is retried.
  agentwatch.fail({ status: 422, times: 20, method: 'POST', path: '/api/ingest' });
  slack.fail({ status: 500, body: 'internal_error' });

  const file = (name: string, text: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, `${text}\n`, { mode: 0o600 });
    return path;
  };
  const config = file('sync.json5', JSON.stringify({
    openclawUrl: gateway.url,
    agentwatchUrl: agentwatch.url,
    tokenFile: file('token', secrets['gateway token']!),
    apiKeyFile: file('api-key', secrets['AgentWatch API key']!),
    deviceIdentity: 'always',
    metricsPort: 0,
    batchSize: 2,
    logLevel: 'DEBUG',
    alerts: {
      slackWebhookFile: file('slack', `${slack.url}${slackPath}`),
      pagerdutyRoutingKeyFile: file('pagerduty', secrets['PagerDuty routing key']!),
      pagerdutyUrl: pagerduty.endpoint,
    },
  }));
  const logFile = join(dir.path, 'logs', 'sync.log');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--config', config, '--state-dir', stateDir, '--log-file', logFile], {
    cwd: repoRoot,
    env: { ...process.env, OPENCLAW_GATEWAY_TOKEN: undefined, AGENTWATCH_API_KEY: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  t.after(() => void child.kill('SIGKILL'));

  await waitUntil(() => slack.accepted.length > 0 && pagerduty.accepted.length > 0 && agentwatch.traces.length > 0, 30_000).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}\n${stderr}`);
  });
  const base = /Metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1];
  assert.ok(base, stderr);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const healthz = await (await fetch(`${base}/healthz`)).text();
  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);

  const logs = readdirSync(join(dir.path, 'logs')).map((name) => readFileSync(join(dir.path, 'logs', name), 'utf8')).join('\n');
  assert.match(logs, /dead-letter|parked|rejected/i, 'the failures were logged');
  assert.ok(slack.hits.some((h) => h.status === 500), 'the Slack failure happened');
  const outputs = {
    stdout,
    stderr,
    'the log file': logs,
    '/metrics': metrics,
    '/healthz': healthz,
    'AgentWatch rows': JSON.stringify([agentwatch.agents, agentwatch.traces, agentwatch.events, agentwatch.costs]),
    'Slack messages': JSON.stringify(slack.hits),
    // The routing key is PagerDuty's addressing, so its own field carries it; nothing else may.
    'PagerDuty events': JSON.stringify(pagerduty.hits.map((h) => ({ ...(h.body as object), routing_key: undefined }))),
  };
  assert.deepEqual(findLeaks(outputs, secrets), []);
});

test('the CLI failing at start (wrong token, a bad webhook URL) says why without echoing the secret', async () => {
  const token = canary('gwtok');
  const apiKey = canary('awkey');
  const world = demoWorld(systemClock);
  const gateway = await startSimGateway({ token: canary('other'), sessions: () => world.rows(), usage: () => world.usagePayload() });
  const dir = await tempDir('aw-leak-crash-');
  try {
    const args = ['--once', '--openclaw-url', gateway.url, '--agentwatch-url', 'http://127.0.0.1:9', '--sink', 'agentwatch', '--state-dir', join(dir.path, 'state')];
    const wrongToken = await runCli(args, { OPENCLAW_GATEWAY_TOKEN: token, AGENTWATCH_API_KEY: apiKey });
    assert.equal(wrongToken.code, 1, wrongToken.stderr);
    assert.match(wrongToken.stderr, /token/i);
    const badSlack = canary('notaurl');
    const badWebhook = await runCli(args, { OPENCLAW_GATEWAY_TOKEN: token, AGENTWATCH_SLACK_WEBHOOK_URL: badSlack });
    assert.equal(badWebhook.code, 2, badWebhook.stderr);
    assert.match(badWebhook.stderr, /Slack webhook URL \(Slack webhook URL from AGENTWATCH_SLACK_WEBHOOK_URL\) is not an http\(s\) URL/);
    const outputs = { 'stderr (wrong token)': wrongToken.stderr, 'stdout (wrong token)': wrongToken.stdout, 'stderr (bad webhook)': badWebhook.stderr, 'stdout (bad webhook)': badWebhook.stdout };
    assert.deepEqual(findLeaks(outputs, { 'gateway token': token, 'AgentWatch API key': apiKey, 'Slack webhook URL': badSlack }), []);
  } finally {
    await gateway.close();
    await dir.remove();
  }
});
