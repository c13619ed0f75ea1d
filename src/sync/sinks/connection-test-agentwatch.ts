import { errorMessage, isSyncError } from '../errors.js';
import { detectSink, type DetectedSink } from './detect-sink.js';
import { AGENTWATCH_PROTOCOL } from './agentwatch-protocol.js';
import { describeBase } from './http-failure.js';
import { getJson, type HttpEndpoint } from './http.js';

export interface AgentWatchConnectionResult {
  ok: boolean;
  message: string;
  sink?: DetectedSink;
}

const SINK_NAMES: Record<DetectedSink, string> = {
  agentwatch: 'the AgentWatch API (/api/ingest)',
  seed: 'the seed bulk contract (/api/events/bulk)',
};

/** "Test connection" for the settings window and `--check`: health, then which API the server speaks. Never throws. */
export async function testAgentWatchConnection(options: HttpEndpoint, signal?: AbortSignal): Promise<AgentWatchConnectionResult> {
  const where = describeBase(options.baseUrl);
  try {
    const health = await getJson({ ...options, protocol: AGENTWATCH_PROTOCOL }, '/health', signal);
    const status = (health.body as { status?: unknown } | null)?.status;
    const sink = await detectSink(options, signal);
    const state = typeof status === 'string' ? `reports "${status}"` : 'answers /health';
    return { ok: true, sink, message: `AgentWatch at ${where} ${state}; syncing through ${SINK_NAMES[sink]}.` };
  } catch (e) {
    const message = isSyncError(e) || e instanceof Error ? errorMessage(e) : `AgentWatch at ${where}: ${String(e)}`;
    return { ok: false, message };
  }
}
