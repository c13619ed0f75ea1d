import type { K8sObject } from './helm-render.js';

/**
 * Minimal Kubernetes object shapes for the chart's kinds, plus the cross-references a cluster would only catch at
 * runtime (selectors, named ports, volumes, referenced ConfigMaps/Secrets/claims). Returns problems; empty = valid.
 * Not a replacement for kubeconform against the real OpenAPI schemas (not available offline here).
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const API_VERSIONS: Record<string, string> = {
  Deployment: 'apps/v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  PersistentVolumeClaim: 'v1',
  ServiceMonitor: 'monitoring.coreos.com/v1',
};

function labelsMatch(selector: unknown, labels: unknown): boolean {
  return isObj(selector) && isObj(labels) && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function stringMap(v: unknown, at: string, problems: string[]): void {
  if (v === undefined) return;
  if (!isObj(v) || Object.values(v).some((x) => typeof x !== 'string')) problems.push(`${at}: must map strings to strings`);
}

function checkContainer(c: unknown, at: string, volumeNames: Set<string>, problems: string[]): void {
  if (!isObj(c)) return void problems.push(`${at}: not an object`);
  if (typeof c.name !== 'string' || !PORT_NAME.test(c.name)) problems.push(`${at}: name must be a DNS label`);
  if (typeof c.image !== 'string' || !/^[^\s:]+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/.test(c.image) || !/[:@]/.test(c.image)) problems.push(`${at}: image must be repository:tag, got ${JSON.stringify(c.image)}`);
  if (c.args !== undefined && (!Array.isArray(c.args) || c.args.some((a) => typeof a !== 'string'))) problems.push(`${at}: args must be strings`);
  const portNames = new Set<string>();
  for (const [i, p] of (Array.isArray(c.ports) ? c.ports : []).entries()) {
    if (!isObj(p) || !Number.isInteger(p.containerPort) || (p.containerPort as number) < 1 || (p.containerPort as number) > 65535) problems.push(`${at}.ports[${i}]: containerPort must be 1..65535`);
    else if (typeof p.name === 'string') {
      if (p.name.length > 15 || !PORT_NAME.test(p.name)) problems.push(`${at}.ports[${i}]: port name must be an IANA_SVC_NAME (<= 15 chars)`);
      portNames.add(p.name);
    }
  }
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const http = isObj(c[probe]) ? (c[probe] as Obj).httpGet : undefined;
    if (c[probe] === undefined) continue;
    if (!isObj(http)) problems.push(`${at}.${probe}: expected httpGet`);
    else if (typeof http.port === 'string' ? !portNames.has(http.port) : !Number.isInteger(http.port)) problems.push(`${at}.${probe}: port ${String(http.port)} is not a declared container port`);
  }
  const paths = new Set<string>();
  for (const [i, m] of (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).entries()) {
    if (!isObj(m) || typeof m.name !== 'string' || typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) {
      problems.push(`${at}.volumeMounts[${i}]: needs name and an absolute mountPath`);
      continue;
    }
    if (!volumeNames.has(m.name)) problems.push(`${at}.volumeMounts[${i}]: volume "${m.name}" is not declared`);
    if (paths.has(m.mountPath)) problems.push(`${at}.volumeMounts[${i}]: mountPath ${m.mountPath} used twice`);
    paths.add(m.mountPath);
  }
}

function checkDeployment(d: K8sObject, all: K8sObject[], problems: string[]): void {
  const at = `Deployment/${d.metadata.name}`;
  const spec = d.spec as Obj | undefined;
  const template = isObj(spec?.template) ? spec.template : undefined;
  const pod = isObj(template?.spec) ? template.spec : undefined;
  if (!spec || !template || !pod) return void problems.push(`${at}: needs spec.template.spec`);
  if (!labelsMatch((spec.selector as Obj | undefined)?.matchLabels, (template.metadata as Obj | undefined)?.labels)) problems.push(`${at}: spec.selector.matchLabels must match the pod template labels`);
  stringMap((template.metadata as Obj | undefined)?.annotations, `${at}: pod annotations`, problems);
  const volumes = Array.isArray(pod.volumes) ? (pod.volumes as Obj[]) : [];
  const volumeNames = new Set(volumes.map((v) => String(v.name)));
  if (volumeNames.size !== volumes.length) problems.push(`${at}: volume names must be unique`);
  const named = (kind: string, name: unknown) => all.some((o) => o.kind === kind && o.metadata.name === name);
  for (const v of volumes) {
    const sources = ['configMap', 'secret', 'persistentVolumeClaim', 'emptyDir'].filter((k) => k in v);
    if (sources.length !== 1) problems.push(`${at}: volume ${String(v.name)} must have exactly one source`);
    if (isObj(v.configMap) && !named('ConfigMap', v.configMap.name)) problems.push(`${at}: volume ${String(v.name)} references missing ConfigMap ${String(v.configMap.name)}`);
    if (isObj(v.persistentVolumeClaim) && typeof v.persistentVolumeClaim.claimName !== 'string') problems.push(`${at}: volume ${String(v.name)} needs claimName`);
    if (isObj(v.secret) && typeof v.secret.secretName !== 'string') problems.push(`${at}: volume ${String(v.name)} needs secretName`);
  }
  const containers = Array.isArray(pod.containers) ? pod.containers : [];
  if (containers.length === 0) problems.push(`${at}: needs at least one container`);
  containers.forEach((c, i) => checkContainer(c, `${at}.containers[${i}]`, volumeNames, problems));
}

function checkService(s: K8sObject, all: K8sObject[], problems: string[]): void {
  const at = `Service/${s.metadata.name}`;
  const spec = s.spec as Obj | undefined;
  const pods = all.filter((o) => o.kind === 'Deployment').map((d) => (((d.spec as Obj).template as Obj).metadata as Obj).labels);
  if (!pods.some((labels) => labelsMatch(spec?.selector, labels))) problems.push(`${at}: selector matches no pod template`);
  const containerPorts = all
    .filter((o) => o.kind === 'Deployment')
    .flatMap((d) => ((((d.spec as Obj).template as Obj).spec as Obj).containers as Obj[]).flatMap((c) => (Array.isArray(c.ports) ? (c.ports as Obj[]) : []).map((p) => p.name)));
  for (const p of Array.isArray(spec?.ports) ? (spec.ports as Obj[]) : []) {
    if (!Number.isInteger(p.port)) problems.push(`${at}: port must be an integer`);
    if (typeof p.targetPort === 'string' && !containerPorts.includes(p.targetPort)) problems.push(`${at}: targetPort ${p.targetPort} is no container port name`);
  }
}

function checkServiceMonitor(m: K8sObject, all: K8sObject[], problems: string[]): void {
  const at = `ServiceMonitor/${m.metadata.name}`;
  const spec = m.spec as Obj | undefined;
  const services = all.filter((o) => o.kind === 'Service' && labelsMatch((spec?.selector as Obj | undefined)?.matchLabels, o.metadata.labels));
  if (services.length === 0) return void problems.push(`${at}: selector matches no Service`);
  const portNames = services.flatMap((s) => ((s.spec as Obj).ports as Obj[]).map((p) => p.name));
  for (const e of Array.isArray(spec?.endpoints) ? (spec.endpoints as Obj[]) : []) {
    if (!portNames.includes(e.port)) problems.push(`${at}: endpoint port ${String(e.port)} is no Service port name`);
  }
}

export function checkManifests(all: K8sObject[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of all) {
    const id = `${String(o?.kind)}/${String(o?.metadata?.name)}`;
    if (!isObj(o) || typeof o.kind !== 'string' || !isObj(o.metadata) || typeof o.metadata.name !== 'string') {
      problems.push(`${id}: needs apiVersion, kind and metadata.name`);
      continue;
    }
    if (API_VERSIONS[o.kind] === undefined) problems.push(`${id}: unexpected kind`);
    else if (o.apiVersion !== API_VERSIONS[o.kind]) problems.push(`${id}: apiVersion must be ${API_VERSIONS[o.kind]}, got ${String(o.apiVersion)}`);
    if (!DNS_1123.test(o.metadata.name) || o.metadata.name.length > 63) problems.push(`${id}: metadata.name must be a DNS-1123 name of <= 63 chars`);
    stringMap(o.metadata.labels, `${id}: labels`, problems);
    if (seen.has(id)) problems.push(`${id}: defined twice`);
    seen.add(id);
    if (o.kind === 'ConfigMap') stringMap(o.data, `${id}: data`, problems);
    if (o.kind === 'Secret') stringMap(o.stringData, `${id}: stringData`, problems);
    if (o.kind === 'Deployment') checkDeployment(o, all, problems);
    if (o.kind === 'Service') checkService(o, all, problems);
    if (o.kind === 'ServiceMonitor') checkServiceMonitor(o, all, problems);
  }
  return problems;
}
