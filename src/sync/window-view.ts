import type { FilterRules } from '../shared/settings.js';
import type { FilterPreview } from '../shared/sync-status.js';
import { HOUR_MS } from '../shared/time-units.js';
import { activeSessions } from './active-sessions.js';
import { previewFilter } from './filter-preview.js';
import type { Ledger } from './ledger.js';
import type { SessionRow } from './openclaw/types.js';
import type { UsageView } from './plan-bookings.js';
import type { CycleOutcome } from './cycle-deps.js';
import type { Clock } from './ports.js';
import type { ActiveSession, HourlyUsage, SyncStatus } from '../shared/sync-status.js';

type Today = Pick<SyncStatus, 'tokensToday' | 'costMicrosToday' | 'unpricedToday'>;
export type ViewPatch = Pick<SyncStatus, 'activeSessions'> & Today;

/**
 * What the tray and the settings window show beside the loop's own status: the active sessions of the last poll,
 * today's totals, hourly usage and the filter preview. The engine hands it each poll's outcome and merges the
 * patch it returns into the status.
 */
export class WindowView {
  private active: ActiveSession[] = [];
  /** The last poll's rows and usage: what a filter preview is judged against. */
  private lastSeen: { rows: readonly SessionRow[]; usage: UsageView } | null = null;

  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly rules: FilterRules,
  ) {}

  /** After a poll (`poll` absent when it failed, or after live bookings): the status fields this view owns. */
  statusPatch(poll?: CycleOutcome): ViewPatch {
    const now = this.clock.now();
    if (poll) {
      this.active = activeSessions(poll.rows, poll.plan.decisions, this.ledger, now, this.rules.activeMinutes * 60_000);
      if (poll.usage) this.lastSeen = { rows: poll.rows, usage: poll.usage };
    }
    return { activeSessions: this.active, ...this.today(now) };
  }

  /** How a filter expression would judge the sessions of the last poll (the settings window's live preview). */
  previewFilter(expression: string): FilterPreview {
    return previewFilter(expression, this.lastSeen, this.rules, this.ledger, this.clock.now());
  }

  usageByHour(hours: number): HourlyUsage[] {
    return this.ledger.hourly(this.clock.now() - hours * HOUR_MS);
  }

  // Local midnight: "today" is the user's day (the daily alerts count from it too).
  private today(now: number): Today {
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    return this.ledger
      .hourly(midnight.getTime())
      .reduce(
        (t, b) => ({ tokensToday: t.tokensToday + b.tokens, costMicrosToday: t.costMicrosToday + b.costMicros, unpricedToday: t.unpricedToday + b.unpriced }),
        { tokensToday: 0, costMicrosToday: 0, unpricedToday: 0 },
      );
  }
}
