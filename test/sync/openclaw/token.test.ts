import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SyncError } from '../../../src/sync/errors.js';
import { resolveApiKey, resolveGatewayToken } from '../../../src/sync/openclaw/token.js';

let home: string;
let tokenFile: string;
const readText = (path: string) => readFile(path, 'utf8');

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'aw-token-'));
  await mkdir(join(home, '.openclaw'));
  // JSON5 as the gateway writes it: comments, unquoted keys, single quotes, trailing commas.
  await writeFile(
    join(home, '.openclaw', 'openclaw.json'),
    `// gateway config\n{\n  gateway: {\n    mode: 'local',\n    auth: { mode: "token", token: 'from-config-json5', },\n  },\n}\n`,
  );
  tokenFile = join(home, 'token.txt');
  await writeFile(tokenFile, '  from-file-token\n\n');
});

after(() => rm(home, { recursive: true, force: true }));

test('the --token flag wins over everything', async () => {
  const r = await resolveGatewayToken({ flag: 'from-flag', file: tokenFile, env: { OPENCLAW_GATEWAY_TOKEN: 'from-env' }, homeDir: home, readFile: readText });
  assert.deepEqual(r, { token: 'from-flag', source: '--token' });
});

test('--token-file is read and trimmed before the env var', async () => {
  const r = await resolveGatewayToken({ file: tokenFile, env: { OPENCLAW_GATEWAY_TOKEN: 'from-env' }, homeDir: home, readFile: readText });
  assert.deepEqual(r, { token: 'from-file-token', source: `--token-file ${tokenFile}` });
});

test('the env var comes before ~/.openclaw/openclaw.json', async () => {
  const r = await resolveGatewayToken({ env: { OPENCLAW_GATEWAY_TOKEN: 'from-env' }, homeDir: home, readFile: readText });
  assert.deepEqual(r, { token: 'from-env', source: 'OPENCLAW_GATEWAY_TOKEN' });
});

test('the gateway config is parsed as JSON5 and its source never shows the token', async () => {
  const r = await resolveGatewayToken({ env: {}, homeDir: home, readFile: readText });
  assert.deepEqual(r, { token: 'from-config-json5', source: '~/.openclaw/openclaw.json' });
});

test('nothing found is a CONFIG error listing where we looked', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'aw-token-empty-'));
  try {
    const error = await resolveGatewayToken({ env: {}, homeDir: empty, readFile: readText }).catch((e: unknown) => e);
    assert.ok(error instanceof SyncError);
    assert.equal(error.code, 'CONFIG');
    assert.match(error.message, /^No OpenClaw gateway token found\. Pass --token-file PATH, set OPENCLAW_GATEWAY_TOKEN/);
    assert.ok(error.message.includes(join(empty, '.openclaw', 'openclaw.json')));
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});

test('an unreadable token file is a CONFIG error naming the file', async () => {
  const missing = join(home, 'nope.txt');
  const error = await resolveGatewayToken({ file: missing, env: {}, homeDir: home, readFile: readText }).catch((e: unknown) => e);
  assert.ok(error instanceof SyncError);
  assert.equal(error.code, 'CONFIG');
  assert.ok(error.message.includes(missing));
});

test('a broken openclaw.json is a CONFIG error that does not quote its content', async () => {
  const broken = await mkdtemp(join(tmpdir(), 'aw-token-broken-'));
  try {
    await mkdir(join(broken, '.openclaw'));
    await writeFile(join(broken, '.openclaw', 'openclaw.json'), '{ gateway: { auth: { token: "secret-abc } } }');
    await chmod(join(broken, '.openclaw', 'openclaw.json'), 0o600);
    const error = await resolveGatewayToken({ env: {}, homeDir: broken, readFile: readText }).catch((e: unknown) => e);
    assert.ok(error instanceof SyncError);
    assert.equal(error.code, 'CONFIG');
    assert.ok(!error.message.includes('secret-abc'));
  } finally {
    await rm(broken, { recursive: true, force: true });
  }
});

test('the AgentWatch API key is optional and follows flag → file → AGENTWATCH_API_KEY', async () => {
  assert.equal(await resolveApiKey({ env: {}, readFile: readText }), undefined);
  assert.deepEqual(await resolveApiKey({ env: { AGENTWATCH_API_KEY: 'k-env' }, readFile: readText }), { token: 'k-env', source: 'AGENTWATCH_API_KEY' });
  assert.deepEqual(await resolveApiKey({ file: tokenFile, env: { AGENTWATCH_API_KEY: 'k-env' }, readFile: readText }), {
    token: 'from-file-token',
    source: `--api-key-file ${tokenFile}`,
  });
  assert.deepEqual(await resolveApiKey({ flag: 'k-flag', env: {}, readFile: readText }), { token: 'k-flag', source: '--api-key' });
});
