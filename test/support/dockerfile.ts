/**
 * A Dockerfile read into instructions, as BuildKit's parser sees them: comments and blank lines dropped,
 * backslash continuations joined, `# syntax=` directives ignored. Exec-form arguments (JSON arrays) are decoded.
 */
export interface DockerInstruction {
  keyword: string;
  args: string;
  /** The JSON array of an exec-form instruction (CMD/ENTRYPOINT/RUN/HEALTHCHECK CMD), else null. */
  exec: string[] | null;
  line: number;
}

export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue; // comments inside a continuation are dropped
      line = line.replace(/\\\s*$/, ' ') + next.trim();
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot parse ${JSON.stringify(line)}`);
    const args = m[2]!.trim();
    const json = /(\[.*\])\s*$/.exec(args)?.[1];
    let exec: string[] | null = null;
    if (json) {
      try {
        const parsed = JSON.parse(json) as unknown;
        if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) exec = parsed;
      } catch {
        exec = null;
      }
    }
    out.push({ keyword: m[1]!.toUpperCase(), args, exec, line: start + 1 });
  }
  return out;
}

/** Expands ${NAME} / $NAME from the ARGs declared before the first FROM (their defaults). */
export function resolveFromArgs(instructions: readonly DockerInstruction[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') break;
    if (ins.keyword !== 'ARG') continue;
    const [name, value = ''] = ins.args.split('=', 2) as [string, string?];
    args.set(name.trim(), value.trim());
  }
  return args;
}

export function expand(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => vars.get((a ?? b)!) ?? '');
}
