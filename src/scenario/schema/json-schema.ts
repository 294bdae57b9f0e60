import type { SchemaDefs, Spec } from './dsl.js';
import { FORMAT_VERSION, SCENARIO_SCHEMA } from './spec.js';

/** The JSON Schema (draft 2020-12) of scenario.yaml, for editors; made from the validator's own spec. */

type Json = Record<string, unknown>;

export const SCHEMA_ID = `https://clusterlab.dev/schemas/scenario-v${FORMAT_VERSION}.json`;

function convert(spec: Spec): Json {
  const d = spec.description ? { description: spec.description } : {};
  switch (spec.type) {
    case 'string':
      return {
        type: 'string',
        ...d,
        ...(spec.enum ? { enum: [...spec.enum] } : {}),
        ...(spec.pattern ? { pattern: spec.pattern.source } : {}),
        ...(spec.format ? { format: spec.format } : {}),
      };
    case 'integer':
      return {
        type: 'integer',
        ...d,
        ...(spec.min !== undefined ? { minimum: spec.min } : {}),
        ...(spec.max !== undefined ? { maximum: spec.max } : {}),
      };
    case 'boolean':
      return spec.only ? { const: true, ...d } : { type: 'boolean', ...d };
    case 'scalar':
      return { type: ['string', 'number', 'boolean'], ...d };
    case 'duration':
      return {
        type: 'string',
        pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h))+$',
        ...d,
        examples: ['5s', '500ms', '1m30s'],
      };
    case 'file':
      return { type: 'string', pattern: `\\${spec.ext}$`, ...d, examples: [spec.dirHint] };
    case 'array':
      return {
        type: 'array',
        items: convert(spec.items),
        ...d,
        ...(spec.minItems ? { minItems: spec.minItems } : {}),
      };
    case 'map':
      return { type: 'object', additionalProperties: convert(spec.values), ...d };
    case 'oneOf':
      return { oneOf: spec.of.map(convert), ...d };
    case 'ref':
      return { $ref: `#/$defs/${spec.name}` };
    case 'object': {
      const required = Object.entries(spec.fields)
        .filter(([, f]) => f.required)
        .map(([k]) => k);
      const out: Json = {
        type: 'object',
        ...d,
        properties: Object.fromEntries(Object.entries(spec.fields).map(([k, f]) => [k, convert(f.spec)])),
        additionalProperties: false,
        ...(required.length ? { required } : {}),
      };
      if (spec.exactlyOne) out.oneOf = spec.exactlyOne.keys.map((k) => ({ required: [k] }));
      return out;
    }
  }
}

export function scenarioJsonSchema(defs: SchemaDefs = SCENARIO_SCHEMA): Json {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'clusterlab scenario',
    ...convert(defs.root),
    $defs: Object.fromEntries(Object.entries(defs.defs).map(([k, v]) => [k, convert(v)])),
  };
}
