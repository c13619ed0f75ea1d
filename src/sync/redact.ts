/**
 * Replaces every occurrence of each secret with `***`. Used for log lines and for gateway messages shown to users.
 * Very short strings are skipped: they would blank out ordinary words and no real token is that short.
 */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, s) => (s.length >= 4 ? acc.split(s).join('***') : acc), text);
}
