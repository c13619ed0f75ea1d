import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A deterministic OpenAI-compatible chat completions server for the real gateway to call.
// Usage is a pure function of the request, so tests can compute exact expected totals from `calls`.

export interface FakeLlmUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FakeLlmReply = { text: string } | { toolCall: { name: string; args: Record<string, unknown> } };

export interface FakeLlmCall {
  seq: number;
  /** From the gateway's Runtime line; undefined for requests that carry none. */
  sessionKey?: string;
  sessionId?: string;
  agentId?: string;
  model: string;
  stream: boolean;
  roles: string[];
  /** Every user message's text, in order (the gateway wraps the CLI message in context and a timestamp). */
  userTexts: string[];
  /** The first system message's text (carries the agent's session context). */
  systemText: string;
  reply: FakeLlmReply;
  usage: FakeLlmUsage;
}

export interface FakeLlm {
  /** Base URL for the provider config, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  readonly calls: readonly FakeLlmCall[];
  /** The next completion request is answered with this tool call (once), e.g. `sessions_spawn`. */
  replyNextWithToolCall(name: string, args: Record<string, unknown>): void;
  /** Resolves with the first recorded call (past or future) matching `match`; rejects after `timeoutMs`. */
  waitForCall(match: (call: FakeLlmCall) => boolean, timeoutMs?: number): Promise<FakeLlmCall>;
  close(): Promise<void>;
}

interface ChatMessage {
  role?: string;
  content?: unknown;
}

interface ChatRequest {
  model?: string;
  stream?: boolean;
  messages?: ChatMessage[];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

// ~4 characters per token, like a real tokenizer's rough average; what matters is determinism.
function countTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

export function usageFor(messages: ChatMessage[], reply: FakeLlmReply): FakeLlmUsage {
  const promptChars = messages.reduce((sum, m) => sum + JSON.stringify(m).length, 0);
  const completionChars = 'text' in reply ? reply.text.length : JSON.stringify(reply.toolCall).length;
  const prompt = countTokens(promptChars);
  const completion = countTokens(completionChars);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

const internalContext = '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>';

function textReply(userTexts: string[]): FakeLlmReply {
  const asked = userTexts.filter((t) => !t.startsWith(internalContext)).at(-1) ?? '';
  return { text: `Fake reply ${userTexts.length}: acknowledged "${asked.replace(/\s+/g, ' ').slice(0, 40)}". All good.` };
}

// The gateway appends `Runtime: agent=<id> | session=<key> | sessionId=<uuid> | …` to each turn's user message.
// Anchored at a line start: quoted results (subagent announcements) carry escaped copies that must not match.
const runtimeLine = /^Runtime: agent=([^\s|]+) \| session=([^\s|]+)(?: \| sessionId=([^\s|]+))?/gm;

function sessionOf(userTexts: string[]): { agentId?: string; sessionKey?: string; sessionId?: string } {
  const matches = [...userTexts.join('\n').matchAll(runtimeLine)];
  const last = matches.at(-1);
  return last ? { agentId: last[1], sessionKey: last[2], sessionId: last[3] } : {};
}

function sse(res: ServerResponse, data: unknown): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

function writeStream(res: ServerResponse, id: string, model: string, reply: FakeLlmReply, usage: FakeLlmUsage): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'close' });
  const base = { id, object: 'chat.completion.chunk', created: 0, model };
  const delta =
    'text' in reply
      ? { role: 'assistant', content: reply.text }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: `call_${id}`, type: 'function',
            function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.args) } }],
        };
  sse(res, { ...base, choices: [{ index: 0, delta, finish_reason: null }] });
  const finish = 'text' in reply ? 'stop' : 'tool_calls';
  sse(res, { ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
  sse(res, { ...base, choices: [], usage });
  sse(res, '[DONE]');
  res.end();
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function completion(id: string, model: string, reply: FakeLlmReply, usage: FakeLlmUsage): unknown {
  const message =
    'text' in reply
      ? { role: 'assistant', content: reply.text }
      : { role: 'assistant', content: null, tool_calls: [{ id: `call_${id}`, type: 'function',
          function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.args) } }] };
  const finish = 'text' in reply ? 'stop' : 'tool_calls';
  return { id, object: 'chat.completion', created: 0, model, choices: [{ index: 0, message, finish_reason: finish }], usage };
}

async function readJson(req: IncomingMessage): Promise<ChatRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
}

export async function startFakeLlm(opts: { models?: string[] } = {}): Promise<FakeLlm> {
  const models = opts.models ?? ['fake-model-1', 'fake-model-mini'];
  const calls: FakeLlmCall[] = [];
  const recorded = new EventEmitter();
  const pendingToolCalls: Array<{ name: string; args: Record<string, unknown> }> = [];

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const messages = body.messages ?? [];
    const roles = messages.map((m) => m.role ?? '?');
    const userTexts = messages.filter((m) => m.role === 'user').map((m) => textOf(m.content));
    const systemText = textOf(messages.find((m) => m.role === 'system' || m.role === 'developer')?.content);
    const queued = pendingToolCalls.shift();
    const reply: FakeLlmReply = queued ? { toolCall: queued } : textReply(userTexts);
    const usage = usageFor(messages, reply);
    const seq = calls.length + 1;
    const model = body.model ?? 'unknown';
    calls.push({ seq, ...sessionOf(userTexts), model, stream: body.stream === true, roles, userTexts, systemText, reply, usage });
    recorded.emit('call', calls.at(-1));
    const id = `chatcmpl-fake-${seq}`;
    if (body.stream) writeStream(res, id, model, reply, usage);
    else writeJson(res, 200, completion(id, model, reply, usage));
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      writeJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'fake' })) });
    } else if (req.method === 'POST' && path === '/v1/chat/completions') {
      chat(req, res).catch((error: unknown) => writeJson(res, 400, { error: { message: String(error) } }));
    } else {
      writeJson(res, 404, { error: { message: `fake-llm: no route ${req.method} ${path}` } });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    replyNextWithToolCall: (name, args) => {
      pendingToolCalls.push({ name, args });
    },
    waitForCall: (match, timeoutMs = 60_000) => {
      const seen = calls.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          recorded.off('call', onCall);
          reject(new Error(`fake-llm: no matching call within ${timeoutMs} ms (${calls.length} calls so far)`));
        }, timeoutMs);
        function onCall(call: FakeLlmCall): void {
          if (!match(call)) return;
          clearTimeout(timer);
          recorded.off('call', onCall);
          resolve(call);
        }
        recorded.on('call', onCall);
      });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
