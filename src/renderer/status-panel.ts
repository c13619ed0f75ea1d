import type { SyncStatus } from '../shared/sync-status.js';
import { byId } from './dom.js';
import { formatCost } from '../shared/format-usd.js';
import { describeState, formatInt, formatTime } from './format.js';

/** Renders the one SyncStatus snapshot into the status card and the header pill. */
export class StatusPanel {
  private current: SyncStatus | null = null;

  constructor(private readonly doc: Document) {}

  get status(): SyncStatus | null {
    return this.current;
  }

  render(s: SyncStatus, now: number): void {
    this.current = s;
    const state = describeState(s, now);
    const pill = byId(this.doc, 'state-pill');
    pill.textContent = state.pill;
    pill.dataset['tone'] = state.tone;
    this.set('st-state', state.line);
    this.set('st-polls', s.failedPolls > 0 ? `${formatInt(s.pollCount)} (${formatInt(s.failedPolls)} failed)` : formatInt(s.pollCount));
    this.set('st-last-sync', formatTime(s.lastSuccessAt));
    this.set('st-outbox', formatInt(s.outboxDepth));
    this.set('st-delivered', formatInt(s.eventsDelivered));
    this.set('st-today', `${formatInt(s.tokensToday)} tokens · ${formatCost(s.costMicrosToday, s.unpricedToday)}`);
    const box = byId(this.doc, 'st-error');
    box.hidden = s.lastError === null;
    this.set('st-error-text', s.lastError?.message ?? '');
    this.set('st-error-time', s.lastError ? `at ${formatTime(s.lastError.at)}` : '');
  }

  /** What "Copy" next to the last error puts on the clipboard. */
  errorDetails(): string {
    const e = this.current?.lastError;
    if (!e) return '';
    return [`${e.code}: ${e.message}`, `at ${new Date(e.at).toISOString()}`, e.details ?? ''].filter(Boolean).join('\n');
  }

  private set(id: string, text: string): void {
    byId(this.doc, id).textContent = text;
  }
}
