/**
 * How every surface prints dollars (tray tooltip, window, notifications, alerts): two decimals, four below a cent so a
 * cheap session never reads as free.
 */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd !== 0 && Math.abs(usd) < 0.01 ? 4 : 2)}`;
}

/** The ledger keeps costs in micro-dollars (1e-6 USD). */
export function formatMicros(micros: number): string {
  return formatUsd(micros / 1_000_000);
}

/**
 * A cost that may leave out entries OpenClaw could not price: `$0.12` when it holds none, else a lower bound,
 * `≥ $0.12 (3 runs unpriced)`. Every surface that shows money prints it through here.
 */
export function formatCost(micros: number, unpriced: number): string {
  if (unpriced <= 0) return formatMicros(micros);
  return `≥ ${formatMicros(micros)} (${unpricedRuns(unpriced)})`;
}

/** `1 run unpriced`, `3 runs unpriced`: the one wording for entries OpenClaw could not price. */
export function unpricedRuns(unpriced: number): string {
  return `${unpriced} ${unpriced === 1 ? 'run' : 'runs'} unpriced`;
}
