/** Named points of booking and delivery: after the durable booking, around each POST, after its ack. */
export type Milestone = 'after-book' | 'before-post' | 'after-post' | 'after-ack' | 'after-trace-create';

/**
 * An observation port, told synchronously when the engine passes a milestone; absent by default. It must not throw.
 * The crash tests pass one that SIGKILLs the process at a chosen milestone, to prove the outbox loses nothing and
 * repeats at most the batch in flight (test/delivery/crash-cli.ts).
 */
export type OnMilestone = (name: Milestone) => void;
