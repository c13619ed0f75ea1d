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
