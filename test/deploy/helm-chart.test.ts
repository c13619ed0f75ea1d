import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { parseCliArgs } from '../../src/cli/cli-args.js';
import { loadSettings } from '../../src/cli/load-settings.js';
import { Settings } from '../../src/shared/settings.js';
import { REPO_ROOT } from '../build/build-into.js';
import { renderChart, type K8sObject } from '../support/helm-render.js';
import { checkManifests } from '../support/k8s-shapes.js';

const CHART = join(REPO_ROOT, 'deploy/helm/agentwatch-sync');
const TOKEN = 'gw-token-0123456789abcdef';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const defaults = yaml.load(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Obj;
const errorsOf = (values: unknown) => (validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

function render(values: Obj = {}) {
  return renderChart(CHART, { releaseName: 'aw', values: { secret: { gatewayToken: TOKEN }, ...values } });
}
const find = (manifests: K8sObject[], kind: string) => manifests.filter((m) => m.kind === kind);
const container = (manifests: K8sObject[]): Obj => (find(manifests, 'Deployment')[0] as Obj).spec.template.spec.containers[0];
const volumes = (manifests: K8sObject[]): Obj[] => (find(manifests, 'Deployment')[0] as Obj).spec.template.spec.volumes;
const argAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

test('Chart.yaml and values.yaml parse; the chart is apiVersion v2 and tracks the app version', () => {
  const chart = yaml.load(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Obj;
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(chart.apiVersion, 'v2');
  assert.equal(chart.name, 'agentwatch-sync');
  assert.match(chart.version, /^\d+\.\d+\.\d+$/);
  assert.equal(chart.appVersion, pkg.version);
  assert.equal(typeof defaults, 'object');
});

test('values.schema.json accepts the defaults and rejects bad values, secrets in config and unknown keys', () => {
  assert.deepEqual(errorsOf(defaults), []);
  const bad: Array<[string, Obj]> = [
    ['pull policy', { ...defaults, image: { ...defaults.image, pullPolicy: 'Sometimes' } }],
    ['poll interval', { ...defaults, config: { ...defaults.config, pollIntervalSec: 2 } }],
    ['sink', { ...defaults, config: { ...defaults.config, sink: 'kafka' } }],
    ['token in config', { ...defaults, config: { ...defaults.config, token: TOKEN } }],
    ['chart-managed key', { ...defaults, config: { ...defaults.config, metricsPort: 1 } }],
    ['port as string', { ...defaults, metrics: { port: '9464' } }],
    ['replicas are not configurable', { ...defaults, replicaCount: 2 }],
  ];
  for (const [what, values] of bad) assert.notDeepEqual(errorsOf(values), [], `${what} is rejected`);
});

test('the schema only names real settings, and the default config is a valid strict Settings object', () => {
  const shape = Object.keys(Settings.shape);
  for (const key of Object.keys((schema as Obj).properties.config.properties)) assert.ok(shape.includes(key), `config.${key} is a setting`);
  assert.equal(Settings.strict().safeParse(defaults.config).success, true);
});

test('rendering without a token fails with the next step instead of shipping an empty Secret', () => {
  assert.throws(() => renderChart(CHART, { releaseName: 'aw' }), /set secret\.gatewayToken \(e\.g\. --set-file secret\.gatewayToken=\.\/token\) or secret\.existingSecret/);
});

test('the default render is valid Kubernetes: Deployment, ConfigMap, Secret, PVC and Service, no ServiceMonitor', () => {
  const { manifests } = render();
  assert.deepEqual(checkManifests(manifests), []);
  assert.deepEqual(manifests.map((m) => m.kind).sort(), ['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'Secret', 'Service']);
  const d = find(manifests, 'Deployment')[0] as Obj;
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.spec.strategy.type, 'Recreate', 'never two writers on one state dir');
  const c = container(manifests);
  assert.equal(c.image, 'ghcr.io/agentwatch/agentwatch-sync:0.1.0');
  assert.deepEqual([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path], ['/healthz', '/healthz']);
  assert.deepEqual(d.spec.template.spec.securityContext.runAsUser, 1000, 'the Dockerfile USER');
});

test('the container args are valid CLI flags and, with the ConfigMap as the config file, load the intended settings', async () => {
  const { manifests } = render({ config: { ...defaults.config, sink: 'otlp', otlpUrl: 'http://otel-collector:4318' } });
  const c = container(manifests);
  const args = c.args as string[];
  const parsed = parseCliArgs(args);
  assert.equal(parsed.command, 'sync');
  const mounts = new Map((c.volumeMounts as Obj[]).map((m) => [m.name, m.mountPath]));
  const vols = new Map<string, Obj>(volumes(manifests).map((v) => [v.name, v]));
  const config = find(manifests, 'ConfigMap')[0] as Obj;
  assert.equal(argAfter(args, '--config'), `${mounts.get('config')}/config.json`);
  assert.equal(vols.get('config')!.configMap.name, config.metadata.name);
  const secret = find(manifests, 'Secret')[0] as Obj;
  assert.equal(argAfter(args, '--token-file'), `${mounts.get('secret')}/token`);
  assert.equal(vols.get('secret')!.secret.secretName, secret.metadata.name);
  assert.equal(secret.stringData.token, TOKEN);
  assert.equal(argAfter(args, '--state-dir'), mounts.get('state'));
  assert.equal(vols.get('state')!.persistentVolumeClaim.claimName, find(manifests, 'PersistentVolumeClaim')[0]!.metadata.name);
  assert.equal(Number(argAfter(args, '--metrics-port')), c.ports[0].containerPort);

  const dir = mkdtempSync(join(tmpdir(), 'aw-chart-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, config.data['config.json']);
    const settings = await loadSettings({ ...parsed.values, config: file, 'token-file': join(dir, 'token') }, {});
    assert.deepEqual([settings.sink, settings.otlpUrl, settings.metricsPort, settings.metricsHost], ['otlp', 'http://otel-collector:4318', 9464, '0.0.0.0']);
    assert.equal(settings.openclawUrl, 'http://openclaw-gateway:18789');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the token lives only in the Secret: never in the ConfigMap, args or annotations', () => {
  const { manifests } = render({ secret: { gatewayToken: TOKEN, agentwatchApiKey: 'sk-chart-key' } });
  for (const m of manifests.filter((x) => x.kind !== 'Secret')) {
    const text = JSON.stringify(m);
    assert.ok(!text.includes(TOKEN) && !text.includes('sk-chart-key'), `${m.kind} holds no secret`);
  }
  const config = JSON.parse((find(manifests, 'ConfigMap')[0] as Obj).data['config.json']) as Obj;
  for (const k of ['token', 'apiKey', 'tokenFile', 'apiKeyFile']) assert.ok(!(k in config));
  assert.equal((find(manifests, 'Secret')[0] as Obj).stringData.apiKey, 'sk-chart-key');
  assert.equal(argAfter(container(manifests).args, '--api-key-file'), '/var/run/secrets/agentwatch-sync/apiKey');
});

test('an existing Secret replaces the chart one; its apiKey is used only when declared', () => {
  const plain = renderChart(CHART, { releaseName: 'aw', values: { secret: { existingSecret: 'openclaw-token' } } }).manifests;
  assert.deepEqual(checkManifests(plain), []);
  assert.equal(find(plain, 'Secret').length, 0);
  assert.equal(volumes(plain).find((v) => v.name === 'secret')!.secret.secretName, 'openclaw-token');
  assert.ok(!container(plain).args.includes('--api-key-file'));
  const withKey = renderChart(CHART, { releaseName: 'aw', values: { secret: { existingSecret: 'openclaw-token', existingSecretHasApiKey: true } } }).manifests;
  assert.ok(container(withKey).args.includes('--api-key-file'));
});

test('ServiceMonitor, persistence and extra values render valid variants', () => {
  const monitored = render({ serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'kube-prometheus' } } }).manifests;
  assert.deepEqual(checkManifests(monitored), []);
  const sm = find(monitored, 'ServiceMonitor')[0] as Obj;
  assert.deepEqual([sm.metadata.labels.release, sm.spec.endpoints[0].port, sm.spec.endpoints[0].path, sm.spec.endpoints[0].interval], ['kube-prometheus', 'metrics', '/metrics', '15s']);

  const ephemeral = render({ persistence: { enabled: false } }).manifests;
  assert.deepEqual(checkManifests(ephemeral), []);
  assert.equal(find(ephemeral, 'PersistentVolumeClaim').length, 0);
  assert.deepEqual(volumes(ephemeral).find((v) => v.name === 'state')!.emptyDir, {});

  const claimed = render({ persistence: { existingClaim: 'aw-state' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, imagePullSecrets: [{ name: 'regcred' }] }).manifests;
  assert.deepEqual(checkManifests(claimed), []);
  assert.equal(find(claimed, 'PersistentVolumeClaim').length, 0);
  assert.equal(volumes(claimed).find((v) => v.name === 'state')!.persistentVolumeClaim.claimName, 'aw-state');
  const pod = (find(claimed, 'Deployment')[0] as Obj).spec.template.spec;
  assert.deepEqual([pod.nodeSelector, pod.imagePullSecrets], [{ 'kubernetes.io/os': 'linux' }, [{ name: 'regcred' }]]);
});

test('a settings change changes the pod template (checksum), so Recreate rolls the pod', () => {
  const a = (find(render().manifests, 'Deployment')[0] as Obj).spec.template.metadata.annotations['checksum/config'];
  const b = (find(render({ config: { ...defaults.config, pollIntervalSec: 60 } }).manifests, 'Deployment')[0] as Obj).spec.template.metadata.annotations['checksum/config'];
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, b);
});

test('the shape checker itself catches broken references', () => {
  const { manifests } = render();
  const broken = structuredClone(manifests) as Obj[];
  const d = broken.find((m) => m.kind === 'Deployment')!;
  d.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'other';
  d.spec.template.spec.containers[0].volumeMounts.push({ name: 'ghost', mountPath: '/ghost' });
  d.spec.template.spec.containers[0].livenessProbe.httpGet.port = 'nope';
  const service = broken.find((m) => m.kind === 'Service')!;
  service.spec.ports[0].targetPort = 'web';
  service.spec.selector['app.kubernetes.io/instance'] = 'other';
  const problems = checkManifests(broken as K8sObject[]);
  for (const expected of [/selector\.matchLabels must match/, /volume "ghost" is not declared/, /livenessProbe: port nope/, /selector matches no pod template/, /targetPort web/]) {
    assert.ok(problems.some((p) => expected.test(p)), `${expected} in ${problems.join('\n')}`);
  }
});

test('the chart README documents every value in values.yaml', () => {
  const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
  const leaves = (o: Obj, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && !['config', 'resources'].includes(k) ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  for (const key of leaves(defaults)) assert.ok(readme.includes(`\`${key}\``), `README documents ${key}`);
});
