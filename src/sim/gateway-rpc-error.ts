/** Thrown by simulator handlers to answer `ok:false` with the gateway's ErrorShape. */
export class SimRpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly extra: { retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'SimRpcError';
  }

  toShape(): Record<string, unknown> {
    const shape: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.details !== undefined) shape.details = this.details;
    if (this.extra.retryable !== undefined) shape.retryable = this.extra.retryable;
    if (this.extra.retryAfterMs !== undefined) shape.retryAfterMs = this.extra.retryAfterMs;
    return shape;
  }
}

/** The exact FORBIDDEN answer the real gateway gives a connection without operator.read. */
export function missingScopeError(scope = 'operator.read'): SimRpcError {
  return new SimRpcError('FORBIDDEN', `missing scope: ${scope}`, {
    code: 'MISSING_SCOPE',
    missingScope: scope,
    requiredScopes: [scope],
  });
}

export function invalidParams(method: string, where: string, problem: string): SimRpcError {
  return new SimRpcError('INVALID_REQUEST', `invalid ${method} params: at ${where}: ${problem}`);
}

type Rule = 'integer>=0' | 'integer>=1' | 'boolean' | 'string' | 'string+' | 'object' | 'any' | readonly unknown[];

/** A closed-object check in the gateway's message style ("at root: unexpected property 'x'"). */
export function checkClosedParams(method: string, params: unknown, rules: Record<string, Rule>, path = ''): Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalidParams(method, path || 'root', 'must be object');
  const record = params as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    const rule = rules[name];
    if (rule === undefined) throw invalidParams(method, path || 'root', `unexpected property '${name}'`);
    const problem = checkValue(rule, value);
    if (problem) throw invalidParams(method, `${path}/${name}`, problem);
  }
  return record;
}

function checkValue(rule: Rule, value: unknown): string | undefined {
  if (Array.isArray(rule)) return rule.includes(value) ? undefined : 'must be equal to one of the allowed values';
  switch (rule) {
    case 'integer>=0':
    case 'integer>=1':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be integer';
      return value < (rule === 'integer>=1' ? 1 : 0) ? `must be >= ${rule === 'integer>=1' ? 1 : 0}` : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be boolean';
    case 'string':
    case 'string+':
      if (typeof value !== 'string') return 'must be string';
      return rule === 'string+' && value === '' ? 'must NOT have fewer than 1 characters' : undefined;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'must be object';
    default:
      return undefined;
  }
}

export type ParamRules = Record<string, Rule>;
