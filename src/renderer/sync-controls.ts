import type { RendererApi } from '../shared/renderer-api.js';
import type { SyncStatus } from '../shared/sync-status.js';
import { unwrap } from './api.js';
import { copyText } from './copy-text.js';
import { byId, errorText } from './dom.js';
import { formatInt } from './format.js';
import type { StatusPanel } from './status-panel.js';

/** Pause/Resume, Run once now, Copy diagnostics and the last error's Copy button. */
export class SyncControls {
  private running = false;
  private readonly toggle: HTMLButtonElement;
  private readonly runOnce: HTMLButtonElement;
  private readonly result: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly api: RendererApi,
    private readonly panel: StatusPanel,
    private readonly onStatus: (s: SyncStatus) => void,
  ) {
    this.toggle = byId<HTMLButtonElement>(doc, 'toggle-pause');
    this.runOnce = byId<HTMLButtonElement>(doc, 'run-once');
    this.result = byId(doc, 'action-result');
    this.toggle.addEventListener('click', () => void this.togglePause());
    this.runOnce.addEventListener('click', () => void this.runNow());
    byId(doc, 'copy-diagnostics').addEventListener('click', () => void this.copyDiagnostics());
    byId(doc, 'copy-error').addEventListener('click', () => void this.copyError());
  }

  render(s: SyncStatus): void {
    this.toggle.textContent = s.phase === 'paused' ? 'Resume' : 'Pause';
    this.runOnce.disabled = this.running || s.phase === 'polling';
  }

  private async togglePause(): Promise<void> {
    const paused = this.panel.status?.phase === 'paused';
    this.toggle.disabled = true;
    try {
      this.onStatus(await unwrap(paused ? this.api.resume() : this.api.pause()));
      this.say(paused ? 'Resumed.' : 'Paused. Polls stop until you resume.');
    } catch (error) {
      this.say(errorText(error));
    } finally {
      this.toggle.disabled = false;
    }
  }

  private async runNow(): Promise<void> {
    this.running = true;
    this.runOnce.disabled = true;
    this.say('Running…');
    try {
      const r = await unwrap(this.api.runOnce());
      this.say(
        r.ok
          ? `Synced ${formatInt(r.sessions)} sessions, delivered ${formatInt(r.delivered)} events in ${formatInt(r.durationMs)} ms.`
          : (r.error?.message ?? 'The run failed; see Last error.'),
      );
    } catch (error) {
      this.say(errorText(error));
    } finally {
      this.running = false;
      if (this.panel.status) this.render(this.panel.status);
      else this.runOnce.disabled = false;
    }
  }

  private async copyDiagnostics(): Promise<void> {
    try {
      const { text } = await unwrap(this.api.copyDiagnostics());
      this.say(`Diagnostics copied to the clipboard (${text.split('\n').length} lines, secrets redacted).`);
    } catch (error) {
      this.say(errorText(error));
    }
  }

  private async copyError(): Promise<void> {
    const copied = await copyText(this.doc, this.panel.errorDetails());
    this.say(copied ? 'Error details copied.' : 'Could not copy: select the error text and press Ctrl+C.');
  }

  private say(text: string): void {
    this.result.textContent = text;
  }
}
