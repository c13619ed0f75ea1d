import type { DeliveryOutcome } from './deliver-outbox.js';

/**
 * Delivery that starts while a large poll is still booking: the poll books a part, `kick`s, and books the next
 * part while the first POSTs are out (the main thread would otherwise wait on AgentWatch; docs/bench.md). Drains
 * run one at a time, oldest first as always; after a retryable error no new drain starts (the outbox keeps the
 * rest for the next poll).
 */
export class PipelinedDelivery {
  private running: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private readonly outcome: DeliveryOutcome = { delivered: 0, deadLettered: 0, error: null };

  /** `drain(settle)`: one drain of the outbox; `settle` makes its acks durable (or compacts) when it ends. */
  constructor(private readonly drain: (settle: boolean) => Promise<DeliveryOutcome>) {}

  /** Something was booked: deliver it, unless a drain is already under way (it will come to it) or delivery stopped. */
  kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.drain(false).then(
      (o) => this.add(o),
      (error: unknown) => void (this.failure = { error }),
    );
    void this.running.then(() => (this.running = null));
  }

  /** Waits for the drains; one last drain takes what was booked as the previous one ended, and settles the acks. */
  async finish(settle: () => Promise<void>): Promise<DeliveryOutcome> {
    await this.idle();
    if (this.failure) throw this.failure.error;
    if (this.stopped) await settle();
    else this.add(await this.drain(true));
    return this.outcome;
  }

  /** Waits for the drain under way, if any, without starting another. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private get stopped(): boolean {
    return this.failure !== null || this.outcome.error !== null;
  }

  private add(o: DeliveryOutcome): void {
    this.outcome.delivered += o.delivered;
    this.outcome.deadLettered += o.deadLettered;
    this.outcome.error ??= o.error;
  }
}
