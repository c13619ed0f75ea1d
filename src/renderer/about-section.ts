import type { AboutInfo, AboutTarget } from '../shared/ipc-contract.js';
import type { RendererApi } from '../shared/renderer-api.js';
import type { SyncStatus } from '../shared/sync-status.js';
import { unwrap } from './api.js';
import { byId, errorText } from './dom.js';

// The About card: this app's version, the gateway's as its handshake reported it (hello.server.version, carried in
// SyncStatus), and the state folder, log file and project page, each a button main opens (the page names a target,
// never a path).

export class AboutSection {
  private readonly list: HTMLElement;
  private readonly result: HTMLElement;
  private gateway: HTMLElement | null = null;

  constructor(
    private readonly doc: Document,
    private readonly api: RendererApi,
  ) {
    this.list = byId(doc, 'about');
    this.result = byId(doc, 'about-result');
  }

  show(info: AboutInfo, status: SyncStatus | null): void {
    this.list.replaceChildren();
    this.row('Version', this.text(`AgentWatch Sync ${info.appVersion}`));
    this.gateway = this.row('OpenClaw gateway', this.text(''));
    this.row('State folder', this.opener('about-state-dir', info.stateDir, 'stateDir'));
    this.row('Log file', this.opener('about-log-file', info.logFile, 'logFile'));
    this.row('Project page', this.opener('about-project', info.projectUrl, 'project'));
    if (status) this.render(status);
  }

  render(status: SyncStatus): void {
    if (this.gateway) this.gateway.textContent = status.gatewayVersion ? `version ${status.gatewayVersion}` : 'not connected yet';
  }

  private row(term: string, value: HTMLElement): HTMLElement {
    const dt = this.doc.createElement('dt');
    dt.textContent = term;
    const dd = this.doc.createElement('dd');
    dd.append(value);
    this.list.append(dt, dd);
    return value;
  }

  private text(content: string): HTMLElement {
    const span = this.doc.createElement('span');
    span.textContent = content;
    return span;
  }

  private opener(id: string, label: string, target: AboutTarget): HTMLElement {
    const button = this.doc.createElement('button');
    button.type = 'button';
    button.id = id;
    button.className = 'link';
    button.textContent = label;
    button.addEventListener('click', () => void this.open(target, label));
    return button;
  }

  private async open(target: AboutTarget, label: string): Promise<void> {
    try {
      const { error } = await unwrap(this.api.openAboutTarget(target));
      this.result.textContent = error || `Opened ${label}`;
    } catch (error) {
      this.result.textContent = errorText(error);
    }
  }
}
