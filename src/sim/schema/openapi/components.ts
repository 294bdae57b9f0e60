import type { FieldSchema, Models } from '../models.js';
import {
  componentName,
  type GroupVersionKind,
  INT_OR_STRING,
  MICRO_TIME,
  PATCH,
  QUANTITY,
  RAW_EXTENSION,
  ref,
  TIME,
} from './naming.js';
import { type PatchMetaLookup, patchExtensions } from './patch-meta.js';

/**
 * OpenAPI v3 component schemas for the built-in types, shaped like upstream's: a field that
 * holds another type is `allOf: [{$ref}]` beside its own description, lists and maps carry
 * their element schema, and top-level kinds carry x-kubernetes-group-version-kind. That is
 * what `kubectl explain` walks and what kubectl's client-side apply reads patch metadata from.
 */

export type Schema = Record<string, unknown>;

/** The apimachinery types client-node has no model for; their descriptions are our own. */
const PRIMITIVES: Record<string, Schema> = {
  [QUANTITY]: {
    description:
      'A fixed-point number with an optional suffix: a decimal SI (m, k, M, G…) or binary (Ki, Mi, Gi…) multiple, or an exponent (1e3). Written back in canonical form, e.g. 1.5Gi as 1536Mi.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [INT_OR_STRING]: {
    description: 'Either a 32-bit integer or a string (a named port, or a percentage like 25%).',
    format: 'int-or-string',
    type: 'string',
  },
  [TIME]: {
    description: 'A point in time, written in RFC 3339 form with second precision, in UTC.',
    format: 'date-time',
    type: 'string',
  },
  [MICRO_TIME]: {
    description: 'A point in time, written in RFC 3339 form with microsecond precision, in UTC.',
    format: 'date-time',
    type: 'string',
  },
  [RAW_EXTENSION]: {
    description: 'An embedded object of any kind, kept as the client wrote it.',
    type: 'object',
  },
  [PATCH]: {
    description:
      'The body of a PATCH request: a JSON patch, merge patch, strategic merge patch or apply configuration.',
    type: 'object',
  },
};

export class ComponentBuilder {
  private readonly cache = new Map<string, Schema>();

  constructor(
    private readonly models: Models,
    private readonly patchMeta: () => PatchMetaLookup,
  ) {}

  /** Forget built components (their patch metadata changed). */
  clear(): void {
    this.cache.clear();
  }

  /**
   * Every component a document needs for `roots` (client-node model names) and the types
   * they refer to; `gvks` tells which models are top-level kinds.
   */
  build(roots: string[], gvks: Map<string, GroupVersionKind[]>): Record<string, Schema> {
    const out: Record<string, Schema> = { [PATCH]: PRIMITIVES[PATCH]! };
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const model = queue.pop()!;
      if (seen.has(model) || !this.models.get(model)) continue;
      seen.add(model);
      const { schema, refs } = this.component(model);
      const kinds = gvks.get(model);
      out[componentName(this.models, model)] = kinds
        ? { ...schema, 'x-kubernetes-group-version-kind': kinds }
        : schema;
      for (const r of refs) {
        if (r in PRIMITIVES) out[r] = PRIMITIVES[r]!;
        else queue.push(r);
      }
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** A model's component (without GVK) and what it refers to: model names or primitive components. */
  private component(model: string): { schema: Schema; refs: string[] } {
    const refs: string[] = [];
    const cached = this.cache.get(model);
    const m = this.models.get(model)!;
    for (const f of Object.values(m.properties)) collectRefs(f, refs);
    if (cached) return { schema: cached, refs };
    const docs = this.models.docsOf(model);
    const lookup = this.patchMeta();
    const properties: Record<string, Schema> = {};
    for (const [name, f] of Object.entries(m.properties).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const own = docs?.properties[name];
      // client-node keeps no description for fields that hold another type. A bare $ref with
      // the type's description shows it once in `kubectl explain`, where allOf would show it twice.
      const description = own ?? this.typeDescription(f);
      properties[name] = {
        ...this.fieldSchema(f, own !== undefined),
        ...(description ? { description } : {}),
        ...patchExtensions(lookup(model, name)),
      };
    }
    const schema: Schema = {
      ...(docs?.description ? { description: docs.description } : {}),
      properties,
      ...(m.required?.length ? { required: m.required } : {}),
      type: 'object',
    };
    this.cache.set(model, schema);
    return { schema, refs };
  }

  private typeDescription(f: FieldSchema): string | undefined {
    if (f.type === 'object' && f.ref) return this.models.docsOf(f.ref)?.description;
    if (f.type === 'quantity') return PRIMITIVES[QUANTITY]!.description as string;
    if (f.type === 'int-or-string') return PRIMITIVES[INT_OR_STRING]!.description as string;
    if (f.type === 'date-time')
      return PRIMITIVES[f.format === 'micro' ? MICRO_TIME : TIME]!.description as string;
    return undefined;
  }

  /** A field's schema; `wrap` puts references in allOf, as upstream does where a description sits beside them. */
  private fieldSchema(f: FieldSchema, wrap: boolean): Schema {
    const reference = (component: string) => (wrap ? { allOf: [ref(component)] } : ref(component));
    switch (f.type) {
      case 'string':
        return { type: 'string' };
      case 'integer':
        return { format: f.format ?? 'int64', type: 'integer' };
      case 'number':
        return { format: 'double', type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'byte':
        return { format: 'byte', type: 'string' };
      case 'object':
        return f.ref ? reference(componentName(this.models, f.ref)) : { type: 'object' };
      case 'array':
        return { items: f.items ? this.elementSchema(f.items) : {}, type: 'array' };
      case 'map':
        return { additionalProperties: f.items ? this.elementSchema(f.items) : {}, type: 'object' };
      case 'int-or-string':
        return reference(INT_OR_STRING);
      case 'quantity':
        return reference(QUANTITY);
      case 'date-time':
        return reference(f.format === 'micro' ? MICRO_TIME : TIME);
      case 'any':
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
  }

  private elementSchema(f: FieldSchema): Schema {
    const s = this.fieldSchema(f, f.type === 'object');
    // Upstream marks non-pointer struct elements with an empty default.
    return f.type === 'object' && f.ref ? { ...s, default: {} } : s;
  }
}

function collectRefs(f: FieldSchema, out: string[]): void {
  if (f.type === 'object' && f.ref) out.push(f.ref);
  else if (f.type === 'quantity') out.push(QUANTITY);
  else if (f.type === 'int-or-string') out.push(INT_OR_STRING);
  else if (f.type === 'date-time') out.push(f.format === 'micro' ? MICRO_TIME : TIME);
  if (f.items) collectRefs(f.items, out);
}
