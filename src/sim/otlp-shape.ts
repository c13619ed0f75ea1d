/**
 * A strict reading of an OTLP/JSON ExportTraceServiceRequest, as the spec's JSON encoding defines it: hex ids,
 * integer enums, 64-bit integers as decimal strings, lowerCamelCase keys, exactly one field per AnyValue.
 * Returns the problems (empty when the payload is well-formed) and the spans decoded to plain attributes.
 */
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: { code: number; message?: string };
  attributes: Record<string, string | number | boolean>;
  resource: Record<string, string | number | boolean>;
  scope: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DECIMAL = /^-?\d+$/;

function only(o: Obj, allowed: readonly string[], at: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${at}: unexpected field "${k}"`);
}

function decodeAttributes(v: unknown, at: string, problems: string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (!Array.isArray(v)) {
    problems.push(`${at}: attributes must be an array of KeyValue`);
    return out;
  }
  v.forEach((kv, i) => {
    const where = `${at}[${i}]`;
    if (!isObj(kv) || typeof kv.key !== 'string' || kv.key === '' || !isObj(kv.value)) return void problems.push(`${where}: not a KeyValue`);
    only(kv, ['key', 'value'], where, problems);
    if (kv.key in out) problems.push(`${where}: duplicate key ${kv.key}`);
    const fields = Object.keys(kv.value);
    if (fields.length !== 1) return void problems.push(`${where}: AnyValue must set exactly one field, got ${fields.join(',')}`);
    const [field] = fields as [string];
    const raw = kv.value[field];
    if (field === 'stringValue' && typeof raw === 'string') out[kv.key] = raw;
    else if (field === 'intValue' && typeof raw === 'string' && DECIMAL.test(raw)) out[kv.key] = Number(raw);
    else if (field === 'doubleValue' && typeof raw === 'number' && Number.isFinite(raw)) out[kv.key] = raw;
    else if (field === 'boolValue' && typeof raw === 'boolean') out[kv.key] = raw;
    else problems.push(`${where} (${kv.key}): bad ${field} ${JSON.stringify(raw)} (intValue must be a decimal string)`);
  });
  return out;
}

function hexId(v: unknown, chars: number, what: string, at: string, problems: string[]): string {
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${chars}}$`).test(v)) problems.push(`${at}: ${what} must be ${chars} hex characters, got ${JSON.stringify(v)}`);
  else if (/^0+$/.test(v)) problems.push(`${at}: ${what} is all zeros (invalid)`);
  return String(v);
}

function nanos(v: unknown, what: string, at: string, problems: string[]): bigint {
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  problems.push(`${at}: ${what} must be a decimal string of nanoseconds, got ${JSON.stringify(v)}`);
  return 0n;
}

function decodeSpan(s: unknown, at: string, resource: DecodedSpan['resource'], scope: string, problems: string[]): DecodedSpan | null {
  if (!isObj(s)) return (problems.push(`${at}: not an object`), null);
  only(s, ['traceId', 'spanId', 'parentSpanId', 'traceState', 'flags', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'droppedAttributesCount', 'events', 'links', 'status'], at, problems);
  const traceId = hexId(s.traceId, 32, 'traceId', at, problems);
  const spanId = hexId(s.spanId, 16, 'spanId', at, problems);
  if (typeof s.name !== 'string' || s.name === '') problems.push(`${at}: name must be a non-empty string`);
  if (!Number.isInteger(s.kind) || (s.kind as number) < 0 || (s.kind as number) > 5) problems.push(`${at}: kind must be an integer enum 0..5, got ${JSON.stringify(s.kind)}`);
  const start = nanos(s.startTimeUnixNano, 'startTimeUnixNano', at, problems);
  const end = nanos(s.endTimeUnixNano, 'endTimeUnixNano', at, problems);
  if (end < start) problems.push(`${at}: ends before it starts`);
  const status = isObj(s.status) ? s.status : {};
  if (s.status !== undefined) {
    only(status, ['code', 'message'], `${at}.status`, problems);
    if (status.code !== undefined && (!Number.isInteger(status.code) || (status.code as number) < 0 || (status.code as number) > 2)) problems.push(`${at}.status: code must be 0..2`);
  }
  return {
    traceId,
    spanId,
    name: String(s.name),
    kind: Number(s.kind),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    status: { code: Number(status.code ?? 0), ...(typeof status.message === 'string' ? { message: status.message } : {}) },
    attributes: decodeAttributes(s.attributes ?? [], `${at}.attributes`, problems),
    resource,
    scope,
  };
}

export function decodeTraceRequest(body: unknown): { problems: string[]; spans: DecodedSpan[] } {
  const problems: string[] = [];
  const spans: DecodedSpan[] = [];
  if (!isObj(body) || !Array.isArray(body.resourceSpans)) return { problems: ['body: resourceSpans must be an array'], spans };
  only(body, ['resourceSpans'], 'body', problems);
  body.resourceSpans.forEach((rs, i) => {
    const at = `resourceSpans[${i}]`;
    if (!isObj(rs) || !isObj(rs.resource) || !Array.isArray(rs.scopeSpans)) return void problems.push(`${at}: needs resource and scopeSpans`);
    only(rs, ['resource', 'scopeSpans', 'schemaUrl'], at, problems);
    only(rs.resource, ['attributes', 'droppedAttributesCount'], `${at}.resource`, problems);
    const resource = decodeAttributes(rs.resource.attributes, `${at}.resource.attributes`, problems);
    rs.scopeSpans.forEach((ss, j) => {
      const sat = `${at}.scopeSpans[${j}]`;
      if (!isObj(ss) || !Array.isArray(ss.spans)) return void problems.push(`${sat}: needs spans`);
      only(ss, ['scope', 'spans', 'schemaUrl'], sat, problems);
      const scope = isObj(ss.scope) && typeof ss.scope.name === 'string' ? ss.scope.name : '';
      if (isObj(ss.scope)) only(ss.scope, ['name', 'version', 'attributes', 'droppedAttributesCount'], `${sat}.scope`, problems);
      ss.spans.forEach((s, k) => {
        const span = decodeSpan(s, `${sat}.spans[${k}]`, resource, scope, problems);
        if (span) spans.push(span);
      });
    });
  });
  return { problems, spans };
}
