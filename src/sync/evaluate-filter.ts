import type { FilterNode, Value } from '../shared/filter-dsl/parse-filter.js';

/** What a filter expression can ask about one session. */
export interface SessionFacts {
  classification: string;
  kind: string;
  agentId: string;
  key: string;
  channel: string;
  label: string;
  model: string;
  status: string;
  /** Lifetime input + output tokens. */
  tokens: number;
  /** Time since the last activity, ms (Infinity when never active). */
  active: number;
  running: boolean;
  tracked: boolean;
}

export interface Evaluation {
  keep: boolean;
  /** The clause that decided, with the value it saw: `tokens >= 10 (tokens=5)`. */
  reason: string;
}

const fmtMs = (ms: number) => (Number.isFinite(ms) ? `${Math.ceil(ms / 60_000)}m` : 'never');

function shown(field: keyof SessionFacts, facts: SessionFacts): string {
  const v = facts[field];
  return field === 'active' ? fmtMs(v as number) : String(v);
}

function matches(value: Value, actual: string | number): boolean {
  if (value.type === 'text') return String(actual) === value.text;
  if (value.type === 'number') return actual === value.value;
  return actual === value.ms;
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '!=':
      return a !== b;
    default:
      return a === b;
  }
}

/** Evaluates with short-circuit and reports the deciding clause, so DEBUG lines and tests read the same reason. */
export function evaluateFilter(node: FilterNode, facts: SessionFacts): Evaluation {
  switch (node.type) {
    case 'and': {
      const left = evaluateFilter(node.left, facts);
      return left.keep ? evaluateFilter(node.right, facts) : left;
    }
    case 'or': {
      const left = evaluateFilter(node.left, facts);
      return left.keep ? left : evaluateFilter(node.right, facts);
    }
    case 'not': {
      const inner = evaluateFilter(node.operand, facts);
      return { keep: !inner.keep, reason: `${node.source} (${inner.reason})` };
    }
    case 'flag':
      return { keep: facts[node.field], reason: `${node.field}=${facts[node.field]}` };
    case 'in': {
      const actual = facts[node.field] as string | number;
      return { keep: node.values.some((v) => matches(v, actual)), reason: `${node.field}=${shown(node.field, facts)}` };
    }
    case 'compare': {
      const actual = facts[node.field] as string | number;
      let keep: boolean;
      if (node.value.type === 'text') keep = (String(actual) === node.value.text) === (node.op === '=');
      else keep = compare(node.op, actual as number, node.value.type === 'number' ? node.value.value : node.value.ms);
      return { keep, reason: `${node.source}: ${node.field}=${shown(node.field, facts)}` };
    }
  }
}

export type Outlook = 'keep' | 'skip' | 'unknown';

/**
 * The same tree before usage is read (`tokens` unknown), in three-valued logic: `skip` only when the expression
 * skips whatever the usage turns out to be, so a poll need not read usage for that session at all.
 */
export function outlookOf(node: FilterNode, facts: Omit<SessionFacts, 'tokens'>): Outlook {
  switch (node.type) {
    case 'and': {
      const left = outlookOf(node.left, facts);
      if (left === 'skip') return 'skip';
      const right = outlookOf(node.right, facts);
      return right === 'skip' ? 'skip' : left === 'keep' && right === 'keep' ? 'keep' : 'unknown';
    }
    case 'or': {
      const left = outlookOf(node.left, facts);
      if (left === 'keep') return 'keep';
      const right = outlookOf(node.right, facts);
      return right === 'keep' ? 'keep' : left === 'skip' && right === 'skip' ? 'skip' : 'unknown';
    }
    case 'not': {
      const inner = outlookOf(node.operand, facts);
      return inner === 'unknown' ? 'unknown' : inner === 'keep' ? 'skip' : 'keep';
    }
    case 'flag':
    case 'in':
    case 'compare':
      if (node.field === 'tokens') return 'unknown';
      return evaluateFilter(node, { ...facts, tokens: 0 }).keep ? 'keep' : 'skip';
  }
}
