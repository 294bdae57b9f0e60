import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../src/sim/api/errors.js';
import { Registry } from '../../src/sim/kinds/registry.js';
import type { ResourceType } from '../../src/sim/kinds/types.js';
import { schemaServices } from '../../src/sim/schema/index.js';
import { type JSONSchemaProps, validateCustomResource } from '../../src/sim/schema/structural.js';
import { ObjectStore } from '../../src/sim/store/store.js';
import type { KubeObject } from '../../src/sim/store/types.js';

const { decoder } = schemaServices(new Registry(), new ObjectStore());

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', minLength: 3, maxLength: 20, pattern: '^[a-z]' },
        size: { type: 'integer', minimum: 1, maximum: 3, default: 1 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe' },
        port: { 'x-kubernetes-int-or-string': true },
        started: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } },
          },
        },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: {} },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        note: { type: 'string', nullable: true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

const widget: ResourceType = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  custom: { crdName: 'widgets.example.com', schema, preserveUnknownFields: false },
} as ResourceType;

const cr = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec, ...extra }) as KubeObject;

const messages = (obj: unknown) => validateCustomResource(schema, obj).map(formatFieldError);

describe('custom resources: pruning and defaulting', () => {
  it('drops undeclared fields and names them, keeping what preserve-unknown-fields and embedded resources allow', () => {
    const r = decoder.decode(
      widget,
      cr(
        {
          image: 'nginx',
          imagex: 'typo',
          ports: [{ name: 'http', protocol: 'TCP' }],
          config: { anything: { goes: [1] } },
          template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: {} },
        },
        { extra: true, metadata: { name: 'w', labelz: {} } },
      ),
    );
    expect(r.typeErrors).toEqual([]);
    expect(r.unknownFields).toEqual([
      'unknown field "metadata.labelz"',
      'unknown field "spec.imagex"',
      'unknown field "spec.ports[0].protocol"',
      'unknown field "spec.template.spec"',
      'unknown field "extra"',
    ]);
    expect(r.object.spec).toEqual({
      image: 'nginx',
      size: 1,
      mode: 'safe',
      ports: [{ name: 'http', port: 80 }],
      config: { anything: { goes: [1] } },
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } },
    });
    expect(r.object.metadata).toEqual({ name: 'w' });
  });

  it('keeps what the client set over defaults, and replaces null only where a default exists', () => {
    const r = decoder.decode(widget, cr({ image: 'nginx', size: 2, mode: null, note: null, ratio: null }));
    expect(r.object.spec).toEqual({ image: 'nginx', size: 2, mode: 'safe', note: null });
  });

  it('prunes nothing when the CRD keeps unknown fields', () => {
    const legacy = { ...widget, custom: { ...widget.custom!, preserveUnknownFields: true } } as ResourceType;
    const r = decoder.decode(legacy, cr({ image: 'nginx', imagex: 'typo' }));
    expect(r.unknownFields).toEqual([]);
    expect(r.object.spec.imagex).toBe('typo');
  });
});

describe('custom resources: OpenAPI validation with upstream messages', () => {
  it('accepts a valid object', () => {
    expect(
      messages(cr({ image: 'nginx', size: 3, port: 'http', ports: [{ name: 'a' }, { name: 'b' }] })),
    ).toEqual([]);
  });

  it('reports bounds, types, enums, lengths, patterns, formats and required fields', () => {
    expect(
      messages(
        cr({
          size: 5,
          ratio: 1,
          mode: 'slow',
          port: 1.5,
          started: 'noon',
          tags: ['a', 'b', 'c', 'd'],
        }),
      ),
    ).toEqual([
      'spec.size: Invalid value: 5: spec.size in body should be less than or equal to 3',
      'spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
      'spec.mode: Unsupported value: "slow": supported values: "fast", "safe"',
      'spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"',
      'spec.started: Invalid value: "noon": spec.started in body must be of type date-time: "noon"',
      'spec.tags: Too many: 4: must have at most 3 items',
      'spec.image: Required value',
    ]);
    expect(messages(cr({ image: 'Ab' }))).toEqual([
      'spec.image: Invalid value: "Ab": spec.image in body should be at least 3 chars long',
      'spec.image: Invalid value: "Ab": spec.image in body should match \'^[a-z]\'',
    ]);
    expect(messages(cr({ image: 'nginx', size: 'two' }))).toEqual([
      'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
    ]);
    expect(messages(cr({ image: 'nginx', size: 0 }))).toEqual([
      'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
    ]);
  });

  it('checks list-type set and map uniqueness', () => {
    expect(
      messages(
        cr({
          image: 'nginx',
          tags: ['a', 'a'],
          ports: [
            { name: 'x', port: 1 },
            { name: 'x', port: 2 },
          ],
        }),
      ),
    ).toEqual([
      'spec.tags[1]: Duplicate value: "a"',
      'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"x"}',
    ]);
  });

  it('lets nullable fields be null and rejects null elsewhere', () => {
    expect(messages(cr({ image: 'nginx', note: null }))).toEqual([]);
    expect(messages(cr({ image: null }))).toEqual([
      'spec.image: Invalid value: "null": spec.image in body must be of type string: "null"',
    ]);
  });

  it('reports field errors in the shape the Invalid status carries', () => {
    const [err] = validateCustomResource(schema, cr({ image: 'nginx', size: 9 }));
    expect(err).toEqual({
      type: 'FieldValueInvalid',
      field: 'spec.size',
      message: 'Invalid value: 9: spec.size in body should be less than or equal to 3',
    });
  });
});
