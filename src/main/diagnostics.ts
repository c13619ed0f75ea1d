import type { Settings } from '../shared/settings.js';
import type { SyncStatus } from '../shared/sync-status.js';
import type { SecretStorage } from './secret-store.js';

export interface DiagnosticsInput {
  now: number;
  versions: Record<string, string>;
  settings: Settings;
  secrets: { hasToken: boolean; hasApiKey: boolean; storage: SecretStorage };
  status: SyncStatus;
  recentProblems: string[];
  /** Values to blank out wherever they appear (a token pasted into a URL, an error echoing a header…). */
  secretValues: readonly string[];
}

// Same rule as the logger's redaction: short strings would blank ordinary words.
const MIN_SECRET_LENGTH = 6;

/** A bundle for bug reports: versions, settings, status, recent problems; secrets only as "set / not set". */
export function buildDiagnostics(d: DiagnosticsInput): string {
  const { activeSessions, ...status } = d.status;
  const text = [
    `AgentWatch Sync diagnostics — ${new Date(d.now).toISOString()}`,
    '',
    '## Versions',
    ...Object.entries(d.versions).map(([k, v]) => `${k}: ${v}`),
    '',
    '## Secrets',
    `gateway token: ${d.secrets.hasToken ? 'set' : 'not set'}; AgentWatch API key: ${d.secrets.hasApiKey ? 'set' : 'not set'}; storage: ${d.secrets.storage}`,
    '',
    '## Settings',
    JSON.stringify(d.settings, null, 2),
    '',
    '## Status',
    JSON.stringify(status, null, 2),
    `active sessions: ${activeSessions.length} (${activeSessions.map((a) => `${a.agentId}/${a.model ?? '?'}`).join(', ') || 'none'})`,
    '',
    '## Recent warnings and errors',
    ...(d.recentProblems.length ? d.recentProblems : ['none']),
    '',
  ].join('\n');
  return d.secretValues.filter((s) => s.length >= MIN_SECRET_LENGTH).reduce((t, s) => t.split(s).join('[redacted]'), text);
}
