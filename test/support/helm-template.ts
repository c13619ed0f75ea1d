import { createHash } from 'node:crypto';
import yaml from 'js-yaml';

/**
 * A small, honest subset of Go text/template + Helm/Sprig, enough for deploy/helm/agentwatch-sync and nothing more:
 *   {{ .a.b }}  {{ . }}  "strings"  numbers  true/false  ( sub pipelines )  pipelines with |
 *   {{- / -}} whitespace trimming, {{/* comments *\/}}
 *   if / else / end, with / else / end, range (arrays) / end
 *   functions: quote default required not and or eq toYaml toJson toPrettyJson nindent indent sha256sum
 * Anything else throws, so a template that drifts beyond this subset fails the test instead of rendering wrongly.
 * Known simplifications: no variables ($x), no `else if`, map keys in toJson/toYaml are sorted (as Helm does).
 */
type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: string }
  | { type: 'if' | 'with' | 'range'; pipe: string; body: Node[]; alt: Node[] };

interface Token {
  kind: 'text' | 'action';
  text: string;
}

function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      tokens.push({ kind: 'text', text });
      break;
    }
    const close = src.indexOf('}}', open);
    if (close < 0) throw new Error(`unclosed {{ at offset ${open}`);
    let inner = src.slice(open + 2, close);
    if (inner.startsWith('-') && /\s/.test(inner[1] ?? '')) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    trimNext = false;
    if (inner.endsWith('-') && /\s/.test(inner.at(-2) ?? '')) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    tokens.push({ kind: 'text', text });
    const action = inner.trim();
    if (!(action.startsWith('/*') && action.endsWith('*/'))) tokens.push({ kind: 'action', text: action });
    i = close + 2;
  }
  return tokens;
}

function parse(tokens: Token[]): Node[] {
  let pos = 0;
  const block = (closers: readonly string[]): { nodes: Node[]; closer: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++]!;
      if (t.kind === 'text') {
        if (t.text) nodes.push({ type: 'text', text: t.text });
        continue;
      }
      const [word = ''] = t.text.split(/\s+/, 1);
      if (closers.includes(word)) return { nodes, closer: word };
      if (word === 'if' || word === 'with' || word === 'range') {
        const body = block(['else', 'end']);
        const alt = body.closer === 'else' ? block(['end']).nodes : [];
        nodes.push({ type: word, pipe: t.text.slice(word.length).trim(), body: body.nodes, alt });
      } else if (word === 'else' || word === 'end' || word === 'define' || word === 'template' || word === 'block') {
        throw new Error(`unsupported or unbalanced {{ ${t.text} }}`);
      } else {
        nodes.push({ type: 'action', pipe: t.text });
      }
    }
    if (closers.length > 0) throw new Error(`missing {{ end }} (expected ${closers.join('/')})`);
    return { nodes, closer: '' };
  };
  return block([]).nodes;
}

export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

const indentLines = (n: number, s: string) => s.split('\n').map((l) => ' '.repeat(n) + l).join('\n');

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  quote: (...a) => a.map((v) => JSON.stringify(v === undefined || v === null ? '' : String(v))).join(' '),
  default: (fallback, v) => (truthy(v) ? v : fallback),
  required: (message, v) => {
    if (!truthy(v)) throw new Error(`required: ${String(message)}`);
    return v;
  },
  not: (v) => !truthy(v),
  and: (...a) => a.find((v) => !truthy(v)) ?? a.at(-1),
  or: (...a) => a.find((v) => truthy(v)) ?? a.at(-1),
  eq: (a, b) => a === b,
  toYaml: (v) => (v === undefined || v === null ? 'null' : yaml.dump(v, { sortKeys: true, lineWidth: -1 }).replace(/\n$/, '')),
  toJson: (v) => JSON.stringify(sortKeys(v ?? null)),
  toPrettyJson: (v) => JSON.stringify(sortKeys(v ?? null), null, 2),
  nindent: (n, s) => '\n' + indentLines(Number(n), String(s)),
  indent: (n, s) => indentLines(Number(n), String(s)),
  sha256sum: (s) => createHash('sha256').update(String(s)).digest('hex'),
};

/** Splits a pipeline into words, keeping "strings" and ( groups ) whole. */
function words(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out.push(src.slice(i, j + 1));
      i = j + 1;
    } else if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '(') depth++;
        if (src[j] === ')' && --depth === 0) break;
      }
      out.push(src.slice(i, j + 1));
      i = j + 1;
    } else if (c === '|') {
      out.push('|');
      i++;
    } else {
      let j = i;
      while (j < src.length && !/[\s|()]/.test(src[j]!)) j++;
      out.push(src.slice(i, j));
      i = j;
    }
  }
  return out;
}

function operand(word: string, dot: unknown, root: unknown): unknown {
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (word.startsWith('(')) return evalPipe(word.slice(1, -1), dot, root);
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  if (word === 'true' || word === 'false') return word === 'true';
  if (word === '.') return dot;
  if (word.startsWith('.')) {
    return word
      .slice(1)
      .split('.')
      .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), dot);
  }
  throw new Error(`unsupported operand "${word}"`);
}

export function evalPipe(src: string, dot: unknown, root: unknown): unknown {
  const commands: string[][] = [[]];
  for (const w of words(src)) {
    if (w === '|') commands.push([]);
    else commands.at(-1)!.push(w);
  }
  let value: unknown;
  commands.forEach((cmd, i) => {
    const [head, ...rest] = cmd;
    if (head === undefined) throw new Error(`empty command in "${src}"`);
    const piped = i > 0 ? [value] : [];
    const fn = FUNCTIONS[head];
    if (fn) value = fn(...rest.map((w) => operand(w, dot, root)), ...piped);
    else if (rest.length === 0 && i === 0) value = operand(head, dot, root);
    else throw new Error(`unsupported function "${head}" in "${src}"`);
  });
  return value;
}

function print(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') throw new Error(`cannot print an object directly (${JSON.stringify(v)}); use toYaml/toJson`);
  return String(v);
}

function run(nodes: Node[], dot: unknown, root: unknown): string {
  return nodes
    .map((n) => {
      if (n.type === 'text') return n.text;
      if (n.type === 'action') return print(evalPipe(n.pipe, dot, root));
      const v = evalPipe(n.pipe, dot, root);
      if (n.type === 'if') return run(truthy(v) ? n.body : n.alt, dot, root);
      if (n.type === 'with') return truthy(v) ? run(n.body, v, root) : run(n.alt, dot, root);
      if (!truthy(v)) return run(n.alt, dot, root);
      if (!Array.isArray(v)) throw new Error('range supports arrays only');
      return v.map((item) => run(n.body, item, root)).join('');
    })
    .join('');
}

/** Renders one template with `context` as both `.` and the root (`.Values`, `.Release`, `.Chart`). */
export function renderTemplate(source: string, context: Record<string, unknown>): string {
  return run(parse(lex(source)), context, context);
}
