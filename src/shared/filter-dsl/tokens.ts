export type TokenKind = 'ident' | 'string' | 'number' | 'duration' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
  /** number: the value; duration: milliseconds. */
  value?: number;
}

/** An error that points at a column of the expression, for inline display under the text. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} (column ${column})`);
    this.name = 'FilterSyntaxError';
  }
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const OPS = ['<=', '>=', '!=', '=', '<', '>'];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const column = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, column });
      i++;
    } else if (c === '"' || c === "'") {
      const end = source.indexOf(c, i + 1);
      if (end < 0) throw new FilterSyntaxError(`Unterminated string: add the closing ${c}`, column);
      tokens.push({ kind: 'string', text: source.slice(i + 1, end), column });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^(\d+(?:\.\d+)?)([smhd])?(?![\w.])/.exec(source.slice(i));
      if (!m) throw new FilterSyntaxError(`Bad number "${/^\S+/.exec(source.slice(i))![0]}": use e.g. 10, 2.5 or a duration like 30m`, column);
      const n = Number(m[1]);
      tokens.push(m[2] ? { kind: 'duration', text: m[0], column, value: n * UNIT_MS[m[2]]! } : { kind: 'number', text: m[0], column, value: n });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w.:-]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'ident', text: m[0], column });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => source.startsWith(o, i));
      if (!op) throw new FilterSyntaxError(`Unexpected character "${c}"`, column);
      tokens.push({ kind: 'op', text: op, column });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', text: '', column: source.length + 1 });
  return tokens;
}
