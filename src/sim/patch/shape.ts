import type { ResourceType } from '../kinds/types.js';
import type { FieldSchema, Models } from '../schema/models.js';
import {
  isGranularField,
  isNullWhenZero,
  isValueStruct,
  keyDefaultOf,
  type ListType,
  listStrategy,
  mapTypeOf,
  structTypeOf,
} from './merge-keys.js';

/**
 * The shape of a value as both patch engines need it: which maps are structs with known
 * fields, which lists merge by key, what is atomic. Built-in types take it from the schema
 * derived from client-node plus the merge facts; custom resources from their CRD's schema.
 */
export type Shape = ScalarShape | UntypedShape | StructShape | MapShape | ListShape;

export interface ScalarShape {
  kind: 'scalar';
}

/** Anything goes (RawExtension, preserved unknown fields): maps merge by key, lists are atomic. */
export interface UntypedShape {
  kind: 'untyped';
}

export interface StructShape {
  kind: 'struct';
  /** The model name, or a path-like name for CRD schemas (used in messages only). */
  name: string;
  atomic: boolean;
  field(name: string): Shape | undefined;
  /** Whether the schema names the field (unknown fields may still be allowed, see below). */
  declares(name: string): boolean;
  /** Fields not declared are allowed and untyped (`x-kubernetes-preserve-unknown-fields`). */
  preservesUnknown: boolean;
  /** The value a map-list key field takes when an item leaves it out. */
  keyDefault(field: string): unknown;
  /** The zero value of this struct as Go serializes an empty object of the type. */
  zero(): Record<string, unknown>;
}

export interface MapShape {
  kind: 'map';
  atomic: boolean;
  values: Shape;
}

export interface ListShape {
  kind: 'list';
  items: Shape;
  listType: ListType;
  keys: string[];
  patchStrategy?: string;
  patchMergeKey?: string;
}

export const SCALAR: ScalarShape = { kind: 'scalar' };
export const UNTYPED: UntypedShape = { kind: 'untyped' };

const TOP_LEVEL_VALUE_FIELDS = ['metadata', 'spec', 'status'];

export class Shapes {
  private readonly structs = new Map<string, StructShape>();

  constructor(private readonly models: Models) {}

  /** The shape of a whole object of `type`. */
  forType(type: ResourceType): Shape {
    if (type.custom) return this.fromCrdSchema(type.custom.schema, type.kind, true);
    return type.schema && this.models.get(type.schema) ? this.model(type.schema) : UNTYPED;
  }

  model(name: string): StructShape {
    const cached = this.structs.get(name);
    if (cached) return cached;
    const schema = this.models.get(name);
    const props = schema?.properties ?? {};
    const required = new Set(schema?.required ?? []);
    const topLevel = 'kind' in props && 'metadata' in props;
    const valueStruct = (f: string) =>
      isValueStruct(name, f) || (topLevel && TOP_LEVEL_VALUE_FIELDS.includes(f));
    const fields = new Map<string, Shape>();
    const shapes = this;
    const shape: StructShape = {
      kind: 'struct',
      name,
      atomic: structTypeOf(name) === 'atomic',
      preservesUnknown: false,
      declares: (f) => f in props,
      field(f) {
        if (!(f in props)) return undefined;
        let s = fields.get(f);
        if (!s) {
          s = shapes.fromField(name, f, props[f]!);
          fields.set(f, s);
        }
        return s;
      },
      keyDefault(f) {
        const explicit = keyDefaultOf(name, f);
        if (explicit !== undefined || !required.has(f)) return explicit;
        const t = props[f]?.type;
        return t === 'integer' || t === 'number' ? 0 : t === 'boolean' ? false : '';
      },
      zero() {
        const out: Record<string, unknown> = {};
        for (const [f, fs] of Object.entries(props)) {
          if (fs.type === 'object' && fs.ref && valueStruct(f)) out[f] = shapes.model(fs.ref).zero();
          else if (isNullWhenZero(name, f)) out[f] = null;
          else if (required.has(f) && (fs.type === 'array' || fs.type === 'map' || fs.type === 'object')) {
            out[f] = null;
          }
        }
        return out;
      },
    };
    this.structs.set(name, shape);
    return shape;
  }

  private fromField(model: string, field: string, fs: FieldSchema): Shape {
    if (fs.type === 'array') {
      const facts = listStrategy(model, field);
      const items = fs.items ? this.fromSchema(fs.items) : UNTYPED;
      return {
        kind: 'list',
        items,
        listType: facts.listType,
        keys: facts.listMapKeys ?? [],
        patchStrategy: facts.patchStrategy,
        patchMergeKey: facts.patchMergeKey,
      };
    }
    if (fs.type === 'map') {
      return {
        kind: 'map',
        atomic: mapTypeOf(model, field) === 'atomic',
        values: fs.items ? this.fromSchema(fs.items) : UNTYPED,
      };
    }
    const s = this.fromSchema(fs);
    if (s.kind === 'struct' && s.atomic && isGranularField(model, field)) return { ...s, atomic: false };
    return s;
  }

  private fromSchema(fs: FieldSchema): Shape {
    switch (fs.type) {
      case 'object':
        return fs.ref && this.models.get(fs.ref) ? this.model(fs.ref) : UNTYPED;
      case 'array':
        return {
          kind: 'list',
          items: fs.items ? this.fromSchema(fs.items) : UNTYPED,
          listType: 'atomic',
          keys: [],
        };
      case 'map':
        return { kind: 'map', atomic: false, values: fs.items ? this.fromSchema(fs.items) : UNTYPED };
      case 'any':
        return UNTYPED;
      default:
        return SCALAR;
    }
  }

  /** The shape a CRD's structural schema (OpenAPI v3 with Kubernetes extensions) gives. */
  fromCrdSchema(schema: any, name: string, root = false): Shape {
    if (schema === undefined || schema === null || typeof schema !== 'object') {
      return root ? this.crdRoot(name, {}, true) : UNTYPED;
    }
    if (schema['x-kubernetes-int-or-string']) return SCALAR;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const type = schema.type;
    if (root || schema['x-kubernetes-embedded-resource']) {
      return this.crdRoot(name, schema.properties ?? {}, preserve);
    }
    if (type === 'array') {
      const items = this.fromCrdSchema(schema.items, `${name}[]`);
      const listType: ListType = schema['x-kubernetes-list-type'] ?? 'atomic';
      return { kind: 'list', items, listType, keys: schema['x-kubernetes-list-map-keys'] ?? [] };
    }
    if (type === 'object' || schema.properties || schema.additionalProperties) {
      const atomic = schema['x-kubernetes-map-type'] === 'atomic';
      if (schema.properties) return this.crdStruct(name, schema.properties, preserve, atomic);
      if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
        const values =
          schema.additionalProperties === true
            ? UNTYPED
            : this.fromCrdSchema(schema.additionalProperties, name);
        return { kind: 'map', atomic, values };
      }
      return preserve ? UNTYPED : this.crdStruct(name, {}, false, atomic);
    }
    if (type === undefined) return preserve ? UNTYPED : SCALAR;
    return SCALAR;
  }

  private crdRoot(name: string, properties: Record<string, any>, preserve: boolean): StructShape {
    const meta = this.model('V1ObjectMeta');
    const base = this.crdStruct(name, properties, preserve, false);
    return {
      ...base,
      field: (f) => (f === 'metadata' ? meta : f === 'apiVersion' || f === 'kind' ? SCALAR : base.field(f)),
      declares: (f) => f === 'metadata' || f === 'apiVersion' || f === 'kind' || base.declares(f),
      zero: () => ({ metadata: meta.zero(), ...base.zero() }),
    };
  }

  private crdStruct(
    name: string,
    properties: Record<string, any>,
    preserve: boolean,
    atomic: boolean,
  ): StructShape {
    const fields = new Map<string, Shape>();
    const shapes = this;
    return {
      kind: 'struct',
      name,
      atomic,
      preservesUnknown: preserve,
      declares: (f) => Object.hasOwn(properties, f),
      field(f) {
        if (!Object.hasOwn(properties, f)) return preserve ? UNTYPED : undefined;
        let s = fields.get(f);
        if (!s) {
          s = shapes.fromCrdSchema(properties[f], `${name}.${f}`);
          fields.set(f, s);
        }
        return s;
      },
      keyDefault: (f) => properties[f]?.default,
      zero: () => ({}),
    };
  }
}
