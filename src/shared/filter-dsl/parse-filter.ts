import { FilterSyntaxError, tokenize, type Token } from './tokens.js';

export type Value = { type: 'text'; text: string } | { type: 'number'; value: number } | { type: 'duration'; ms: number };
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode; source: string }
  | { type: 'not'; operand: FilterNode; source: string }
  | { type: 'compare'; field: FilterField; op: CompareOp; value: Value; source: string }
  | { type: 'in'; field: FilterField; values: Value[]; source: string }
  | { type: 'flag'; field: BooleanField; source: string };

export const TEXT_FIELDS = ['classification', 'kind', 'agentId', 'key', 'channel', 'label', 'model', 'status'] as const;
export const NUMBER_FIELDS = ['tokens'] as const;
export const DURATION_FIELDS = ['active'] as const;
export const BOOLEAN_FIELDS = ['running', 'tracked'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type BooleanField = (typeof BOOLEAN_FIELDS)[number];
export type FilterField = TextField | (typeof NUMBER_FIELDS)[number] | (typeof DURATION_FIELDS)[number];

const KEYWORDS = new Set(['and', 'or', 'not', 'in']);
const ALL_FIELDS = [...TEXT_FIELDS, ...NUMBER_FIELDS, ...DURATION_FIELDS, ...BOOLEAN_FIELDS];

/**
 * Recursive descent over: expr := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | primary ;
 * primary := '(' expr ')' | flag | field op value | field 'in' '(' value (',' value)* ')'.
 */
export function parseFilter(source: string): FilterNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isWord = (t: Token, w: string) => t.kind === 'ident' && t.text.toLowerCase() === w;
  const slice = (from: Token) => source.slice(from.column - 1, (tokens[pos - 1]!.column - 1) + tokens[pos - 1]!.text.length + (tokens[pos - 1]!.kind === 'string' ? 2 : 0)).trim();

  const value = (field: FilterField): Value => {
    const t = next();
    const isNumeric = (NUMBER_FIELDS as readonly string[]).includes(field);
    const isDuration = (DURATION_FIELDS as readonly string[]).includes(field);
    if (isDuration) {
      if (t.kind !== 'duration') throw new FilterSyntaxError(`"${field}" compares with a duration like 30m, 2h or 45s`, t.column);
      return { type: 'duration', ms: t.value! };
    }
    if (isNumeric) {
      if (t.kind !== 'number') throw new FilterSyntaxError(`"${field}" compares with a number like 10`, t.column);
      return { type: 'number', value: t.value! };
    }
    if (t.kind === 'string' || (t.kind === 'ident' && !KEYWORDS.has(t.text.toLowerCase()))) return { type: 'text', text: t.text };
    if (t.kind === 'number') return { type: 'text', text: t.text };
    throw new FilterSyntaxError(t.kind === 'eof' ? `Expected a value after "${field}"` : `Expected a value, found "${t.text}"`, t.column);
  };

  const primary = (): FilterNode => {
    const start = peek();
    if (start.kind === 'lparen') {
      next();
      const inner = expr();
      const close = next();
      if (close.kind !== 'rparen') throw new FilterSyntaxError(`Expected ")" to close the "(" at column ${start.column}`, close.column);
      return inner;
    }
    const t = next();
    if (t.kind !== 'ident' || !ALL_FIELDS.includes(t.text as FilterField)) {
      const what = t.kind === 'eof' ? 'the end' : `"${t.text}"`;
      throw new FilterSyntaxError(`Expected a field (${ALL_FIELDS.join(', ')}), found ${what}`, t.column);
    }
    if ((BOOLEAN_FIELDS as readonly string[]).includes(t.text)) return { type: 'flag', field: t.text as BooleanField, source: t.text };
    const field = t.text as FilterField;
    if (isWord(peek(), 'in')) {
      next();
      const open = next();
      if (open.kind !== 'lparen') throw new FilterSyntaxError('Expected "(" after "in"', open.column);
      const values = [value(field)];
      while (peek().kind === 'comma') {
        next();
        values.push(value(field));
      }
      const close = next();
      if (close.kind !== 'rparen') throw new FilterSyntaxError('Expected "," or ")" in the list', close.column);
      return { type: 'in', field, values, source: slice(start) };
    }
    const op = next();
    if (op.kind !== 'op') throw new FilterSyntaxError(`Expected a comparison (=, !=, <, <=, >, >=) or "in" after "${field}"`, op.column);
    if ((TEXT_FIELDS as readonly string[]).includes(field) && op.text !== '=' && op.text !== '!=') {
      throw new FilterSyntaxError(`"${field}" is text: compare it with = or != or "in"`, op.column);
    }
    return { type: 'compare', field, op: op.text as CompareOp, value: value(field), source: slice(start) };
  };

  const unary = (): FilterNode => {
    const start = peek();
    if (isWord(start, 'not')) {
      next();
      const operand = unary();
      return { type: 'not', operand, source: slice(start) };
    }
    return primary();
  };

  const chain = (word: 'and' | 'or', sub: () => FilterNode): FilterNode => {
    const start = peek();
    let left = sub();
    while (isWord(peek(), word)) {
      next();
      left = { type: word, left, right: sub(), source: slice(start) };
    }
    return left;
  };
  const expr = (): FilterNode => chain('or', () => chain('and', unary));

  const tree = expr();
  const rest = peek();
  if (rest.kind !== 'eof') throw new FilterSyntaxError(`Unexpected "${rest.text}": join clauses with "and" / "or"`, rest.column);
  return tree;
}

/** null when valid, else the message with its column (the settings form shows it inline). */
export function checkFilter(source: string): { message: string; column: number } | null {
  try {
    parseFilter(source);
    return null;
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { message: e.message, column: e.column };
    throw e;
  }
}
