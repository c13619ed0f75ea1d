import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { renderTemplate } from './helm-template.js';

/**
 * `helm template` for this repository's chart, without helm: loads Chart.yaml and values.yaml, deep-merges
 * overrides like `--set` (maps merge, lists and scalars replace), renders every templates/*.yaml with the
 * subset engine in helm-template.ts and parses the result into Kubernetes objects. Helm is not installed here.
 */
export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
  values?: Record<string, unknown>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeValues(base: Obj, override: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = isObj(v) && isObj(out[k]) ? mergeValues(out[k] as Obj, v) : v;
  return out;
}

export function loadChart(dir: string): { chart: Obj; values: Obj; templates: Map<string, string> } {
  const chart = yaml.load(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Obj;
  const values = (yaml.load(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {}) as Obj;
  const templates = new Map<string, string>();
  for (const name of readdirSync(join(dir, 'templates')).sort()) {
    if (name.endsWith('.yaml') && !name.startsWith('_')) templates.set(name, readFileSync(join(dir, 'templates', name), 'utf8'));
  }
  return { chart, values, templates };
}

export function renderChart(dir: string, options: RenderOptions = {}): { manifests: K8sObject[]; bySource: Map<string, K8sObject[]>; values: Obj } {
  const { chart, values: defaults, templates } = loadChart(dir);
  const values = mergeValues(defaults, options.values ?? {});
  const context = {
    Values: values,
    Release: { Name: options.releaseName ?? 'test', Namespace: options.namespace ?? 'default', Service: 'Helm' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const bySource = new Map<string, K8sObject[]>();
  for (const [name, source] of templates) {
    const text = renderTemplate(source, context);
    const docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined) as K8sObject[];
    bySource.set(name, docs);
  }
  return { manifests: [...bySource.values()].flat(), bySource, values };
}
