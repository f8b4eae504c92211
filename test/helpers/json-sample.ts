/**
 * Builds plausible request bodies from the JSON Schemas in /openapi.json, so cross-cutting tests can
 * call every route (including ones added after these tests were written) with a body that passes
 * validation. Every string carries `marker`, so a leak of one account's data into another's
 * response can be spotted by searching for it.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
};

export type SampleContext = {
  marker: string;
  /** Ids to put in integer fields, by field name (`domain_id`, `agent_id`, …). */
  idFor(field: string): number | undefined;
};

let serial = 0;

/** The variants a value may take: `anyOf`/`oneOf` branches, null left last. */
export function variantsOf(schema: JsonSchema): JsonSchema[] {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return [schema];
  const flat = branches.flatMap(variantsOf);
  return [...flat.filter((b) => b.type !== 'null'), ...flat.filter((b) => b.type === 'null')];
}

export function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

function sampleString(schema: JsonSchema, field: string, ctx: SampleContext): string {
  serial += 1;
  const candidates: string[] = [];
  if (schema.format === 'email' || /email/i.test(field)) candidates.push(`${ctx.marker}${serial}@example.com`);
  if (schema.format === 'uri' || schema.format === 'url' || /url|website|origin/i.test(field))
    candidates.push(`https://${ctx.marker}-${serial}.example`);
  candidates.push(`${ctx.marker} ${field || 'text'} ${serial}`, `#1f6feb`, 'en', `${ctx.marker}${serial}`);
  const pattern = schema.pattern ? new RegExp(schema.pattern) : undefined;
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  for (const candidate of candidates) {
    const fitted = candidate.length < min ? candidate.padEnd(min, 'x') : candidate;
    if (fitted.length <= max && (!pattern || pattern.test(fitted))) return fitted;
  }
  return `${ctx.marker}${serial}`.slice(0, Number.isFinite(max) ? max : undefined);
}

function sampleNumber(schema: JsonSchema, field: string, ctx: SampleContext, integer: boolean): number {
  const id = /(^|_)id$/.test(field) ? ctx.idFor(field) : undefined;
  if (id !== undefined) return id;
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
  const value = Math.max(min, Math.min(schema.maximum ?? 5, 5));
  return integer ? Math.ceil(value) : value;
}

/** A value that satisfies `schema`, as far as a JSON Schema can say (custom refinements aside). */
export function sample(schema: JsonSchema, ctx: SampleContext, field = ''): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf.map((s) => sample(s, ctx, field)));
  const variant = variantsOf(schema)[0]!;
  if (variant !== schema) return sample(variant, ctx, field);
  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(schema.properties ?? {})) out[name] = sample(prop, ctx, name);
      return out;
    }
    case 'array': {
      const items = schema.items ?? schema.prefixItems?.[0] ?? { type: 'string' };
      const count = Math.max(1, schema.minItems ?? 1);
      const values = Array.from({ length: count }, () => sample(items, ctx, field.replace(/s$/, '')));
      return items.enum ? [...new Set(values)] : values;
    }
    case 'string':
      return sampleString(schema, field, ctx);
    case 'integer':
      return sampleNumber(schema, field, ctx, true);
    case 'number':
      return sampleNumber(schema, field, ctx, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return sampleString({}, field, ctx);
  }
}

/** True when a body of this JSON type would be accepted somewhere in the schema. */
export function accepts(schema: JsonSchema, jsonType: 'object' | 'array' | 'number' | 'string'): boolean {
  return variantsOf(schema).some((v) => {
    const t = typeOf(v);
    if (t === undefined) return true;
    return t === jsonType || (jsonType === 'number' && t === 'integer');
  });
}

/** The one object shape of a body schema, or undefined for unions and non-objects. */
export function plainObject(schema: JsonSchema): JsonSchema | undefined {
  const variants = variantsOf(schema);
  return variants.length === 1 && typeOf(variants[0]!) === 'object' ? variants[0] : undefined;
}

/** A JSON value of a type the property does not accept, or undefined when it accepts anything. */
export function wrongTypeFor(prop: JsonSchema): unknown {
  const types = new Set(variantsOf(prop).map(typeOf));
  if (types.has(undefined)) return undefined;
  if (!types.has('integer') && !types.has('number')) return 12345;
  if (!types.has('string')) return 'not-the-right-type';
  if (!types.has('object')) return { nested: true };
  return undefined;
}
