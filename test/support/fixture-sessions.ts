import { readFixture } from './gateway-schemas.js';

// The captured sessions.list / sessions.usage snapshots, and the five sessions the seed's rules sync (cron stays out).

type ListFrame = { payload: { sessions: Record<string, unknown>[] } };
type UsageFrame = { payload: { updatedAt: number; sessions: Array<{ key: string; sessionId: string; usage: { input: number; output: number; totalCost: number } }> } };

export const list1 = readFixture<ListFrame>('sessions.list.snap1.json').payload.sessions;
export const list2 = readFixture<ListFrame>('sessions.list.snap2.json').payload.sessions;
export const usage1 = readFixture<UsageFrame>('sessions.usage.snap1.json').payload;
export const usage2 = readFixture<UsageFrame>('sessions.usage.snap2.json').payload;

export const SYNCED = [
  'agent:main:main',
  'agent:main:subagent:44e1f111-37d1-43be-b6ea-e9b171040991',
  'agent:main:telegram:group:-1001234567890',
  'agent:main:discord:channel:998877665544332211',
  'agent:ops:main',
];
