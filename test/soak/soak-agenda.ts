export const FAULTS = [
  'gateway-restart', 'dropped-socket', 'slow-frames',
  'aw-down', 'aw-5xx', 'aw-429', 'aw-timeout', 'aw-accepted-then-lost',
  'disk-full',
] as const;
export type Fault = (typeof FAULTS)[number];

type Action = () => void | Promise<void>;

/** The world's own schedule on the virtual clock: one-off and repeating happenings, run in time order. */
export class Agenda {
  private items: Array<{ at: number; seq: number; run: Action }> = [];
  private seq = 0;

  at(at: number, run: Action): void {
    this.items.push({ at, seq: this.seq++, run });
  }

  /** Repeats `run` after each `gap()`, the first time one gap after `from`. */
  every(from: number, gap: () => number, run: Action): void {
    const step = (at: number) =>
      this.at(at, async () => {
        await run();
        step(at + Math.max(1, gap()));
      });
    step(from + Math.max(1, gap()));
  }

  nextAt(): number {
    let min = Infinity;
    for (const x of this.items) if (x.at < min) min = x.at;
    return min;
  }

  async runDue(now: number): Promise<void> {
    for (;;) {
      const due = this.items.filter((x) => x.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) return;
      this.items = this.items.filter((x) => x !== due);
      await due.run();
    }
  }
}
