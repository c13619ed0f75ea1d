import type { Alert, AlertSeverity } from './alert.js';

// Block Kit limits: header text 150 chars, section text 3000, a section field 2000, at most 10 fields.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const MAX_FIELDS = 10;

const EMOJI: Record<AlertSeverity, string> = { critical: ':rotating_light:', error: ':x:', warning: ':warning:', info: ':information_source:' };

export interface SlackContext {
  gatewayId: string;
  /** When the rule fired (ms). */
  at: number;
}

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackMessage {
  /** Shown in notifications and by clients that cannot render blocks. */
  text: string;
  blocks: SlackBlock[];
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Slack reads `&`, `<` and `>` as markup (`<!channel>` would ping everyone); error text must not. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An incoming-webhook body: `text` (the fallback) plus blocks; a resolve reads as "Resolved". */
export function slackMessage(alert: Alert, ctx: SlackContext): SlackMessage {
  const resolved = alert.action === 'resolve';
  const title = resolved ? `:white_check_mark: Resolved: ${alert.summary}` : `${EMOJI[alert.severity]} ${alert.summary}`;
  const fields = Object.entries(alert.details)
    .filter(([, v]) => v !== null && v !== '')
    .slice(0, MAX_FIELDS)
    .map(([k, v]): TextObject => ({ type: 'mrkdwn', text: clip(`*${escapeMrkdwn(k)}*\n${escapeMrkdwn(String(v))}`, FIELD_MAX) }));
  const headline = resolved ? 'Resolved' : `${alert.severity[0]!.toUpperCase()}${alert.severity.slice(1)}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`AgentWatch sync · ${headline}`, HEADER_MAX) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(title), SECTION_MAX) } },
  ];
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(`gateway ${ctx.gatewayId} · ${alert.key} · ${new Date(ctx.at).toISOString()}`), SECTION_MAX) }] });
  return { text: clip(title, SECTION_MAX), blocks };
}
