import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings.js';
import type { SettingsView } from '../../src/shared/ipc-contract.js';
import { DEFAULT_NOTIFICATION_PREFS } from '../../src/shared/notification-prefs.js';
import { initialStatus, type FilterPreview, type SyncStatus } from '../../src/shared/sync-status.js';

// Realistic data for the settings window: what main would send after a few minutes of syncing.

export const STORED_TOKEN = 'oc_live_8f3a1c9d2b7e4f60';

export function sampleSettings(): Settings {
  return { ...DEFAULT_SETTINGS, pollIntervalSec: 30, sink: 'auto' };
}

export function sampleView(): SettingsView {
  return { settings: sampleSettings(), hasToken: true, hasApiKey: false, secretStorage: 'os', openAtLogin: true, notifications: { ...DEFAULT_NOTIFICATION_PREFS, dailyUsdBudget: 25 } };
}

export function sampleStatus(now: number): SyncStatus {
  return {
    ...initialStatus(),
    phase: 'idle',
    mode: 'live',
    sink: 'agentwatch',
    gatewayVersion: '2026.3.2',
    pollCount: 42,
    failedPolls: 1,
    lastPollAt: now - 12_000,
    lastPollMs: 184,
    lastSuccessAt: now - 12_000,
    nextPollAt: now + 18_000,
    lastError: {
      code: 'NETWORK',
      message: 'AgentWatch at http://localhost:8765 did not answer. Start the dashboard or fix the URL in Settings.',
      at: now - 25 * 60_000,
      details: 'connect ECONNREFUSED 127.0.0.1:8765',
    },
    sessionsSeen: 7,
    eventsQueued: 3,
    eventsDelivered: 1_284,
    outboxDepth: 3,
    activeSessions: [],
    tokensToday: 1_482_930,
    costMicrosToday: 4_870_000,
  };
}

/** Hours ago → usage, for three agents over the last day. */
export function sampleUsage(): { hoursAgo: number; agentId: string; tokens: number; costMicros: number; unpriced?: number }[] {
  const rows = [];
  for (let h = 0; h < 24; h++) {
    const wave = Math.max(0, Math.sin((h / 24) * Math.PI * 2 + 1));
    rows.push({ hoursAgo: h, agentId: 'main', tokens: Math.round(20_000 + 60_000 * wave), costMicros: Math.round(90_000 + 260_000 * wave) });
    if (h % 3 !== 0) rows.push({ hoursAgo: h, agentId: 'research', tokens: Math.round(8_000 + 30_000 * wave * wave), costMicros: Math.round(30_000 + 120_000 * wave * wave) });
    if (h < 9) rows.push({ hoursAgo: h, agentId: 'coder', tokens: 12_000 + h * 2_500, costMicros: 60_000 + h * 9_000 });
  }
  return rows;
}

/** How the default rules judge a realistic last poll (what main's filter:preview answers). */
export function samplePreview(): FilterPreview {
  return {
    ok: true,
    decisions: [
      { key: 'agent:main:main', keep: true, reason: 'tokens >= 10: tokens=184220' },
      { key: 'agent:research:subagent:7f3c', keep: true, reason: 'tokens >= 10: tokens=52310' },
      { key: 'agent:coder:main', keep: true, reason: 'tracked=true' },
      { key: 'agent:main:cron:nightly-digest', keep: false, reason: 'classification=cron' },
      { key: 'agent:ops:heartbeat', keep: false, reason: 'classification=heartbeat' },
      { key: 'agent:main:group:design-review', keep: false, reason: 'active <= 30m: active=182m' },
      { key: 'agent:research:subagent:91aa', keep: false, reason: 'tokens >= 10: tokens=4' },
    ],
  };
}
