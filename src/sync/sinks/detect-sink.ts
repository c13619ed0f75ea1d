import { SyncError } from '../errors.js';
import { AGENTWATCH_PROTOCOL } from './agentwatch-protocol.js';
import { describeBase } from './http-failure.js';
import { getJson, type HttpEndpoint, type HttpTarget } from './http.js';
import { DeliveryError } from './sink.js';

export type DetectedSink = 'agentwatch' | 'seed';

function toSyncError(e: DeliveryError, url: string): SyncError {
  switch (e.failure) {
    case 'network':
      return new SyncError('NETWORK', e.message, { retryable: true, cause: e });
    case 'timeout':
      return new SyncError('TIMEOUT', e.message, { retryable: true, cause: e });
    case 'throttled':
    case 'unavailable':
    case 'server':
      return new SyncError('UNAVAILABLE', e.message, { retryable: true, retryAfterMs: e.retryAfterMs, cause: e });
    case 'unauthorized':
      return new SyncError('AUTH', e.message, { cause: e });
    default:
      return new SyncError(
        'CONFIG',
        `Could not read ${url} (${e.status ?? 'unreadable answer'}) to tell which API this is — check the AgentWatch URL, or choose --sink agentwatch|seed|jsonl.`,
        { cause: e },
      );
  }
}

/**
 * Picks the sink from the server's OpenAPI paths: the real AgentWatch API whenever `/api/ingest` is served,
 * the seed's bulk contract only when `/api/events/bulk` is the one ingest path.
 */
export async function detectSink(options: HttpEndpoint, signal?: AbortSignal): Promise<DetectedSink> {
  const target: HttpTarget = { ...options, protocol: AGENTWATCH_PROTOCOL };
  const url = `${describeBase(options.baseUrl)}/openapi.json`;
  let body: unknown;
  try {
    body = (await getJson(target, '/openapi.json', signal)).body;
  } catch (e) {
    if (e instanceof DeliveryError) throw toSyncError(e, url);
    throw e;
  }
  const paths = (body as { paths?: unknown } | null)?.paths;
  if (!paths || typeof paths !== 'object') {
    throw new SyncError('CONFIG', `${url} is not an OpenAPI document (no "paths") — check the AgentWatch URL, or choose --sink agentwatch|seed|jsonl.`);
  }
  const names = Object.keys(paths);
  if (names.includes('/api/ingest')) return 'agentwatch';
  if (names.includes('/api/events/bulk')) return 'seed';
  const sample = names.slice(0, 5).join(', ') || 'no paths';
  throw new SyncError(
    'CONFIG',
    `${url} lists neither /api/ingest (AgentWatch) nor /api/events/bulk (seed contract); found ${sample} — check the AgentWatch URL, or choose --sink agentwatch|seed|jsonl.`,
    { details: { paths: names.slice(0, 50) } },
  );
}
