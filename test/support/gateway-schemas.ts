import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';

// ajv is CommonJS: under NodeNext its default import is the module object.
const Ajv = AjvModule.default;

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'openclaw');

export function readFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as T;
}

const ajv = new Ajv({ strict: false, allErrors: true });

function compile(name: string): ValidateFunction {
  return ajv.compile(readFixture<object>(join('schema', `${name}.schema.json`)));
}

export const validators = {
  event: compile('frame.event'),
  request: compile('frame.request'),
  response: compile('frame.response'),
  helloOk: compile('hello-ok'),
  errorShape: compile('error-shape'),
  sessionRow: compile('sessions.list.row'),
  connectParams: compile('connect.params'),
  sessionsListParams: compile('sessions.list.params'),
  sessionsUsageParams: compile('sessions.usage.params'),
};

function check(validate: ValidateFunction, value: unknown, what: string): void {
  if (!validate(value)) {
    throw new Error(`${what} does not match the gateway schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 400)}`);
  }
}

/** Validates a frame a gateway sends (event / res, with hello-ok, error shape and session rows) or a client request. */
export function assertValidFrame(frame: unknown): void {
  const f = frame as { type?: unknown; ok?: unknown; payload?: unknown; error?: unknown; method?: unknown; params?: unknown };
  if (f?.type === 'event') return check(validators.event, frame, 'event frame');
  if (f?.type === 'req') {
    check(validators.request, frame, 'request frame');
    if (f.method === 'connect') check(validators.connectParams, f.params, 'connect params');
    return;
  }
  if (f?.type !== 'res') throw new Error(`unknown frame type: ${JSON.stringify(frame).slice(0, 200)}`);
  check(validators.response, frame, 'response frame');
  if (f.ok === false) return check(validators.errorShape, f.error, 'error shape');
  const payload = f.payload as { type?: unknown; sessions?: unknown; limitApplied?: unknown } | undefined;
  if (payload?.type === 'hello-ok') check(validators.helloOk, payload, 'hello-ok payload');
  // sessions.list pages carry limitApplied; their rows must match the row schema.
  if (payload?.limitApplied !== undefined && Array.isArray(payload.sessions)) {
    for (const row of payload.sessions) check(validators.sessionRow, row, 'session row');
  }
}
