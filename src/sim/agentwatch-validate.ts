// A compact port of the pydantic v2 (lax mode) rules AgentWatch's request models use, producing FastAPI's
// `{"detail": [{type, loc, msg, input}]}` entries. Extra fields are ignored, as pydantic does by default.

export type Loc = Array<string | number>;

export interface Issue {
  type: string;
  loc: Loc;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export type FieldType = 'str' | 'int' | 'float' | 'dict' | { enum: readonly string[] } | { list: ModelSpec; model: string };

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  default?: unknown;
}

export type ModelSpec = Record<string, FieldSpec>;

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function enumMessage(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return `Input should be ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function coerceInt(v: unknown, loc: Loc, issues: Issue[]): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v;
    issues.push({ type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input: v });
    return undefined;
  }
  if (typeof v === 'string') {
    if (/^\s*[+-]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
    issues.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: v });
    return undefined;
  }
  issues.push({ type: 'int_type', loc, msg: 'Input should be a valid integer', input: v });
  return undefined;
}

function coerceFloat(v: unknown, loc: Loc, issues: Issue[]): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
    issues.push({ type: 'float_parsing', loc, msg: 'Input should be a valid number, unable to parse string as a number', input: v });
    return undefined;
  }
  issues.push({ type: 'float_type', loc, msg: 'Input should be a valid number', input: v });
  return undefined;
}

function coerce(type: FieldType, v: unknown, loc: Loc, issues: Issue[]): unknown {
  if (type === 'str') {
    if (typeof v === 'string') return v;
    issues.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: v });
    return undefined;
  }
  if (type === 'int') return coerceInt(v, loc, issues);
  if (type === 'float') return coerceFloat(v, loc, issues);
  if (type === 'dict') {
    if (isDict(v)) return v;
    issues.push({ type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: v });
    return undefined;
  }
  if ('enum' in type) {
    if (typeof v === 'string' && type.enum.includes(v)) return v;
    const expected = enumMessage(type.enum).slice('Input should be '.length);
    issues.push({ type: 'enum', loc, msg: enumMessage(type.enum), input: v, ctx: { expected } });
    return undefined;
  }
  if (!Array.isArray(v)) {
    issues.push({ type: 'list_type', loc, msg: 'Input should be a valid list', input: v });
    return undefined;
  }
  return v.map((item, i) => validateModel(type.list, item, [...loc, i], issues, type.model));
}

/** Validates one model; issues are appended, the coerced value (with defaults) is returned. */
export function validateModel(spec: ModelSpec, input: unknown, loc: Loc, issues: Issue[], modelName?: string): Record<string, unknown> {
  if (!isDict(input)) {
    issues.push(
      modelName
        ? { type: 'model_type', loc, msg: `Input should be a valid dictionary or instance of ${modelName}`, input, ctx: { class_name: modelName } }
        : { type: 'model_attributes_type', loc, msg: 'Input should be a valid dictionary or object to extract fields from', input },
    );
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec)) {
    const v = input[name];
    if (v === undefined) {
      if (field.required) issues.push({ type: 'missing', loc: [...loc, name], msg: 'Field required', input });
      out[name] = field.default ?? null;
    } else if (v === null && !field.required) {
      out[name] = null;
    } else {
      out[name] = coerce(field.type, v, [...loc, name], issues);
    }
  }
  return out;
}
