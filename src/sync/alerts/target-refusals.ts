import type { AlertTarget, AlertTargetKind } from './alert-targets.js';

export interface Refusal {
  fingerprint: string;
  /** One line for the window and the log: what the target answered and what to change. */
  line: string;
}

/**
 * Targets that refused an alert (a 4xx: revoked webhook, wrong routing key). Nothing more is sent to one until its
 * setting changes (a new fingerprint) or a test alert gets through. The tray app keeps one across engine restarts.
 */
export class TargetRefusals {
  private readonly byKind = new Map<AlertTargetKind, Refusal>();

  /** The refusal that still applies to this target, if any. */
  of(target: Pick<AlertTarget, 'kind' | 'fingerprint'>): Refusal | undefined {
    const r = this.byKind.get(target.kind);
    return r && r.fingerprint === target.fingerprint ? r : undefined;
  }

  refuse(target: Pick<AlertTarget, 'kind' | 'fingerprint'>, line: string): void {
    this.byKind.set(target.kind, { fingerprint: target.fingerprint, line });
  }

  clear(kind: AlertTargetKind): void {
    this.byKind.delete(kind);
  }

  /** Forgets every refusal that no longer applies: its target is gone or its setting changed. */
  retain(targets: ReadonlyArray<Pick<AlertTarget, 'kind' | 'fingerprint'>>): void {
    for (const [kind, r] of this.byKind) if (!targets.some((t) => t.kind === kind && t.fingerprint === r.fingerprint)) this.byKind.delete(kind);
  }

  /** The line of the refusal that holds `kind` back, for the settings window. */
  line(kind: AlertTargetKind): string | undefined {
    return this.byKind.get(kind)?.line;
  }
}
