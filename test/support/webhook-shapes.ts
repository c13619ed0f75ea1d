// Strict checks of what Slack incoming webhooks and PagerDuty Events API v2 accept, per their public docs:
// Block Kit limits (50 blocks, header ≤150 plain_text, section text ≤3000, ≤10 fields of ≤2000, context ≤10
// elements) and the v2 event schema (routing_key, event_action enum, dedup_key ≤255, payload.summary ≤1024,
// source, severity enum, ISO 8601 timestamp).

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(o: Obj, allowed: readonly string[], where: string): string[] {
  return Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => `${where}: unknown field "${k}"`);
}

function textObject(v: unknown, where: string, max: number, types: readonly string[] = ['plain_text', 'mrkdwn']): string[] {
  if (!isObj(v)) return [`${where}: must be a text object`];
  const out = unknownKeys(v, ['type', 'text', 'emoji', 'verbatim'], where);
  if (typeof v.type !== 'string' || !types.includes(v.type)) out.push(`${where}.type must be one of ${types.join('|')}, got ${String(v.type)}`);
  if (typeof v.text !== 'string' || v.text.length === 0) out.push(`${where}.text must be a non-empty string`);
  else if (v.text.length > max) out.push(`${where}.text is ${v.text.length} chars, max ${max}`);
  return out;
}

function block(b: unknown, i: number): string[] {
  const where = `blocks[${i}]`;
  if (!isObj(b)) return [`${where}: must be an object`];
  if (b.block_id !== undefined && (typeof b.block_id !== 'string' || b.block_id.length > 255)) return [`${where}.block_id invalid`];
  switch (b.type) {
    case 'header':
      return [...unknownKeys(b, ['type', 'text', 'block_id'], where), ...textObject(b.text, `${where}.text`, 150, ['plain_text'])];
    case 'section': {
      const out = unknownKeys(b, ['type', 'text', 'fields', 'block_id'], where);
      if (b.text === undefined && b.fields === undefined) out.push(`${where}: a section needs text or fields`);
      if (b.text !== undefined) out.push(...textObject(b.text, `${where}.text`, 3000));
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > 10) out.push(`${where}.fields must hold 1..10 items`);
        else b.fields.forEach((f, j) => out.push(...textObject(f, `${where}.fields[${j}]`, 2000)));
      }
      return out;
    }
    case 'context': {
      const out = unknownKeys(b, ['type', 'elements', 'block_id'], where);
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) out.push(`${where}.elements must hold 1..10 items`);
      else b.elements.forEach((e, j) => out.push(...textObject(e, `${where}.elements[${j}]`, 3000)));
      return out;
    }
    case 'divider':
      return unknownKeys(b, ['type', 'block_id'], where);
    default:
      return [`${where}: unsupported block type ${String(b.type)}`];
  }
}

/** Problems with an incoming-webhook body: `text` (required here as the notification fallback) and blocks. */
export function slackProblems(body: unknown): string[] {
  if (!isObj(body)) return ['body must be a JSON object'];
  const out = unknownKeys(body, ['text', 'blocks', 'mrkdwn', 'unfurl_links', 'unfurl_media'], 'message');
  if (typeof body.text !== 'string' || body.text.trim() === '') out.push('text must be a non-empty string');
  if (!Array.isArray(body.blocks) || body.blocks.length === 0 || body.blocks.length > 50) out.push('blocks must hold 1..50 blocks');
  else body.blocks.forEach((b, i) => out.push(...block(b, i)));
  return out;
}

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function payloadProblems(p: unknown): string[] {
  if (!isObj(p)) return ['payload is required for a trigger'];
  const out = unknownKeys(p, ['summary', 'source', 'severity', 'timestamp', 'component', 'group', 'class', 'custom_details'], 'payload');
  if (typeof p.summary !== 'string' || p.summary.length === 0 || p.summary.length > 1024) out.push('payload.summary must be 1..1024 chars');
  if (typeof p.source !== 'string' || p.source.length === 0) out.push('payload.source is required');
  if (typeof p.severity !== 'string' || !SEVERITIES.includes(p.severity)) out.push(`payload.severity must be one of ${SEVERITIES.join('|')}`);
  if (p.timestamp !== undefined && (typeof p.timestamp !== 'string' || !ISO_8601.test(p.timestamp) || Number.isNaN(Date.parse(p.timestamp)))) out.push('payload.timestamp must be ISO 8601');
  for (const k of ['component', 'group', 'class'] as const) if (p[k] !== undefined && typeof p[k] !== 'string') out.push(`payload.${k} must be a string`);
  if (p.custom_details !== undefined && !isObj(p.custom_details)) out.push('payload.custom_details must be an object');
  return out;
}

/** Problems with an Events API v2 alert event. */
export function pagerDutyProblems(body: unknown): string[] {
  if (!isObj(body)) return ['body must be a JSON object'];
  const out = unknownKeys(body, ['routing_key', 'event_action', 'dedup_key', 'payload', 'images', 'links', 'client', 'client_url'], 'event');
  if (typeof body.routing_key !== 'string' || body.routing_key.length === 0) out.push('routing_key is required');
  if (typeof body.event_action !== 'string' || !ACTIONS.includes(body.event_action)) out.push(`event_action must be one of ${ACTIONS.join('|')}`);
  if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length === 0 || body.dedup_key.length > 255)) out.push('dedup_key must be 1..255 chars');
  if (body.event_action === 'trigger') out.push(...payloadProblems(body.payload));
  else if (typeof body.dedup_key !== 'string') out.push(`dedup_key is required to ${String(body.event_action)}`);
  return out;
}
