import type { MenuItemConstructorOptions } from 'electron';
import type { Settings } from '../shared/settings.js';
import type { SyncStatus } from '../shared/sync-status.js';
import { formatCost } from '../shared/format-usd.js';
import { formatAgo, formatCount, truncate, truncateAtWord } from './format-status.js';
import { sessionsItem } from './session-menu.js';
import { trayState, type TrayState } from './tray-state.js';

export interface TrayActions {
  pause(): void;
  resume(): void;
  runOnce(): void;
  openSettings(): void;
  openExternal(url: string): void;
  openLogFile(): void;
  copyText(text: string): void;
  restartToUpdate(): void;
  quit(): void;
}

export interface MenuOptions {
  dashboardUrl: string;
  /** The shared clock on the app's locale (src/shared/format-clock.ts), so the menu reads like the window. */
  formatTime: (at: number) => string;
  /** How long a finished sub-agent session stays listed (the finishedSubagentGraceMin setting). */
  finishedGraceMs: number;
  /** What macOS shows beside the icon (the trayTitle setting); read by tray.ts, not the menu. */
  trayTitle: Settings['trayTitle'];
  /** A downloaded update waiting for a restart. */
  updateVersion?: string | null;
}

// Windows truncates tray tooltips past 127 characters (NOTIFYICONDATA.szTip holds 128 with the NUL).
export const TOOLTIP_MAX = 127;
// The whole "Copy last error: …" label stays within ~60 characters; the full text is in the copied details. The verb
// leads so the short budget goes to the message: with a "— click to copy" suffix a URL-bearing error kept 2 words.
const ERROR_LABEL_MAX = 60;
const ERROR_PREFIX = 'Copy last error: ';

const STATE_WORD: Record<TrayState, string> = {
  ok: 'Up to date',
  syncing: 'Syncing…',
  stale: 'Stale',
  error: 'Sync failing',
  paused: 'Paused',
};

export function statusLine(s: SyncStatus, now: number, opts: MenuOptions): string {
  const time = opts.formatTime;
  const last = s.lastSuccessAt === null ? 'never synced' : `last sync ${time(s.lastSuccessAt)} (${formatAgo(now - s.lastSuccessAt)})`;
  return `${STATE_WORD[trayState(s, now)]} · ${s.mode} · ${last}`;
}

/** What "copy details" puts on the clipboard: the code, the actionable message, then the (redacted) detail. */
export function errorDetails(s: SyncStatus): string {
  const e = s.lastError;
  if (!e) return '';
  return [`${e.code}: ${e.message}`, `at ${new Date(e.at).toISOString()}`, e.details ?? ''].filter(Boolean).join('\n');
}

/** The tray item and the notification title alike. */
export function updateLabel(version: string): string {
  return `Restart to update to v${version}`;
}

/** The whole tray menu as data: one pure function of the status, rebuilt on every change. */
export function buildMenu(s: SyncStatus, now: number, act: TrayActions, opts: MenuOptions): MenuItemConstructorOptions[] {
  const paused = s.phase === 'paused';
  const stopped = s.phase === 'stopped';
  const err = s.lastError;
  const outbox = `Outbox: ${formatCount(s.outboxDepth)} waiting` + (s.eventsDeadLettered ? ` · ${formatCount(s.eventsDeadLettered)} parked` : '');
  return [
    { id: 'status', label: statusLine(s, now, opts), enabled: false },
    { id: 'poll-count', label: `Polls: ${formatCount(s.pollCount)} (${formatCount(s.failedPolls)} failed)`, enabled: false },
    { id: 'events-delivered', label: `Events delivered: ${formatCount(s.eventsDelivered)}`, enabled: false },
    { id: 'outbox', label: outbox, enabled: false },
    { id: 'today', label: `Today: ${formatCount(s.tokensToday)} tokens · ${formatCost(s.costMicrosToday, s.unpricedToday)}`, enabled: false },
    err
      ? { id: 'last-error', label: `${ERROR_PREFIX}${truncateAtWord(err.message, ERROR_LABEL_MAX - ERROR_PREFIX.length)}`, click: () => act.copyText(errorDetails(s)) }
      : { id: 'last-error', label: 'No errors', enabled: false },
    { id: 'sep-status', type: 'separator' },
    sessionsItem(s, now, opts.finishedGraceMs),
    { id: 'sep-sessions', type: 'separator' },
    { id: 'toggle-pause', label: paused ? 'Resume' : 'Pause', enabled: !stopped, click: paused ? act.resume : act.pause },
    { id: 'run-once', label: 'Run once now', enabled: !stopped, click: act.runOnce },
    { id: 'sep-actions', type: 'separator' },
    { id: 'open-settings', label: 'Open settings…', click: act.openSettings },
    { id: 'open-dashboard', label: 'Open AgentWatch dashboard', click: () => act.openExternal(opts.dashboardUrl) },
    { id: 'open-log', label: 'Open log file', click: act.openLogFile },
    { id: 'sep-quit', type: 'separator' },
    ...(opts.updateVersion ? [{ id: 'restart-to-update', label: updateLabel(opts.updateVersion), click: act.restartToUpdate }] : []),
    { id: 'quit', label: 'Quit AgentWatch Sync', click: act.quit },
  ];
}

/** `AgentWatch Sync — last sync 12:01:30 · 5 sessions · 12,345 tokens today`, plus a paused/error hint. */
export function trayTooltip(s: SyncStatus, now: number, opts: MenuOptions): string {
  const time = opts.formatTime;
  const parts = [
    s.lastSuccessAt === null ? 'not synced yet' : `last sync ${time(s.lastSuccessAt)}`,
    `${formatCount(s.activeSessions.length)} session${s.activeSessions.length === 1 ? '' : 's'}`,
    `${formatCount(s.tokensToday)} tokens today`,
  ];
  const state = trayState(s, now);
  if (state === 'paused') parts.push('paused');
  if (state === 'stale') parts.push('stale');
  if (state === 'error' && s.lastError) parts.push(`error: ${s.lastError.message}`);
  return truncate(`AgentWatch Sync — ${parts.join(' · ')}`, TOOLTIP_MAX);
}
