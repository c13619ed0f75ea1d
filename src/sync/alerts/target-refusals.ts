import { z } from 'zod';
import type { Logger } from '../ports.js';
import { loadSmallState, smallStateSaver } from '../store/small-state-file.js';
import type { AlertTarget, AlertTargetKind } from './alert-targets.js';

/** The tray app's file of refused targets in the state dir. */
export const ALERT_REFUSALS_FILE = 'alert-refusals.json';

export interface Refusal {
  /** A hash of the target's setting (alert-targets.ts): says whether the setting changed, reveals nothing of it. */
  fingerprint: string;
  /** One line for the window and the log: what the target answered and what to change. */
  line: string;
}

const RefusalsFile = z.object({
  slack: z.object({ fingerprint: z.string(), line: z.string() }).optional(),
  pagerduty: z.object({ fingerprint: z.string(), line: z.string() }).optional(),
});
type RefusalsFile = z.infer<typeof RefusalsFile>;

/**
 * Targets that refused an alert (a 4xx: revoked webhook, wrong routing key). Nothing more is sent to one until its
 * setting changes (a new fingerprint) or a test alert gets through. The CLI keeps them in memory; the tray app in a
 * file in the state dir (`durable`), so a restart does not try a revoked webhook again.
 */
export class TargetRefusals {
  private readonly byKind = new Map<AlertTargetKind, Refusal>();

  constructor(
    initial: RefusalsFile = {},
    private readonly onChange?: (all: RefusalsFile) => void,
  ) {
    for (const kind of ['slack', 'pagerduty'] as const) {
      const r = initial[kind];
      if (r) this.byKind.set(kind, r);
    }
  }

  /** Refusals kept in `path` (0600): loaded now, written on every change; a write that fails is one warning. */
  static durable(path: string, log: Logger): TargetRefusals {
    const what = 'alert target refusals';
    const initial = loadSmallState({ path, schema: RefusalsFile, initial: {}, what, consequence: 'a target that refused alerts before is tried again' }, log);
    return new TargetRefusals(initial, smallStateSaver(path, what, 'a target that refused is tried again', log));
  }

  /** The refusal that still applies to this target, if any. */
  of(target: Pick<AlertTarget, 'kind' | 'fingerprint'>): Refusal | undefined {
    const r = this.byKind.get(target.kind);
    return r && r.fingerprint === target.fingerprint ? r : undefined;
  }

  refuse(target: Pick<AlertTarget, 'kind' | 'fingerprint'>, line: string): void {
    this.byKind.set(target.kind, { fingerprint: target.fingerprint, line });
    this.changed();
  }

  clear(kind: AlertTargetKind): void {
    if (this.byKind.delete(kind)) this.changed();
  }

  /** Forgets every refusal that no longer applies: its target is gone or its setting changed. */
  retain(targets: ReadonlyArray<Pick<AlertTarget, 'kind' | 'fingerprint'>>): void {
    let dropped = false;
    for (const [kind, r] of this.byKind) {
      if (!targets.some((t) => t.kind === kind && t.fingerprint === r.fingerprint)) dropped = this.byKind.delete(kind) || dropped;
    }
    if (dropped) this.changed();
  }

  /** The line of the refusal that holds `kind` back, for the settings window. */
  line(kind: AlertTargetKind): string | undefined {
    return this.byKind.get(kind)?.line;
  }

  private changed(): void {
    this.onChange?.(Object.fromEntries(this.byKind) as RefusalsFile);
  }
}
