const firstDelayMs = 1_000;
const maxDelayMs = 30_000;
/** ±20 % so several clients restarted together do not reconnect in lockstep. */
const jitter = 0.2;

/** Wait before the next connect after `failures` consecutive failed connects: 1 s doubling to 30 s, jittered. */
export function connectBackoffMs(failures: number, random: () => number): number {
  if (failures <= 0) return 0;
  const base = firstDelayMs * 2 ** Math.min(failures - 1, 16);
  const jittered = base * (1 - jitter + 2 * jitter * random());
  return Math.round(Math.min(maxDelayMs, jittered));
}
