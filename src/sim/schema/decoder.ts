import type { DecodeResult, ObjectDecoder } from '../api/services.js';
import type { ResourceType } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';
import type { Models } from './models.js';
import type { JSONSchemaProps } from './structural.js';
import { applyDefaults, prune } from './structural-prune.js';
import { TypedDecoder } from './typed-decoder.js';

/**
 * The API server's decoding step for every kind: built-in kinds decode into their Go types
 * (walking the client-node-derived models), custom resources are pruned and defaulted
 * against their CRD version's schema, with metadata decoded as ObjectMeta.
 */
export class SchemaDecoder implements ObjectDecoder {
  private readonly typed: TypedDecoder;

  constructor(private readonly models: Models) {
    this.typed = new TypedDecoder(models);
  }

  decode(type: ResourceType, obj: KubeObject): DecodeResult {
    if (type.custom) return this.decodeCustom(type, obj);
    const model = type.schema && this.models.get(type.schema) ? type.schema : undefined;
    if (!model) return { object: obj, unknownFields: [], typeErrors: [] };
    const r = this.typed.decode(model, obj);
    return {
      object: r.value as KubeObject,
      unknownFields: r.unknownFields,
      typeErrors: r.typeError ? [r.typeError] : [],
    };
  }

  private decodeCustom(type: ResourceType, input: KubeObject): DecodeResult {
    const obj = structuredClone(input);
    const unknownFields: string[] = [];
    if (obj.metadata !== undefined) {
      const meta = this.typed.decode('V1ObjectMeta', obj.metadata, 'metadata');
      if (meta.typeError) return { object: input, unknownFields: [], typeErrors: [meta.typeError] };
      obj.metadata = meta.value;
      unknownFields.push(...meta.unknownFields);
    }
    const schema = type.custom?.schema as JSONSchemaProps | undefined;
    if (schema && !type.custom?.preserveUnknownFields) {
      for (const path of prune(schema, obj)) unknownFields.push(`unknown field ${JSON.stringify(path)}`);
    }
    if (schema) {
      applyDefaults(schema, obj);
      // Defaults may only add what the schema declares; pruning again keeps that true.
      if (!type.custom?.preserveUnknownFields) prune(schema, obj);
    }
    return { object: obj, unknownFields, typeErrors: [] };
  }
}
