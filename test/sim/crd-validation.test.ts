import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../src/sim/api/errors.js';
import { validateCrd } from '../../src/sim/kinds/apiextensions/validation.js';
import type { KubeObject } from '../../src/sim/store/types.js';

/** CRD validation messages, as `kubectl apply` shows them after `is invalid:`. */

function crd(edit: (c: any) => void = () => {}): KubeObject {
  const c: any = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
            },
          },
        },
      ],
    },
    status: { storedVersions: ['v1'] },
  };
  edit(c);
  return c;
}

const errors = (c: KubeObject, old?: KubeObject) => validateCrd(c, old).map(formatFieldError);
const schemaOf = (c: any) => c.spec.versions[0].schema.openAPIV3Schema;
const P = 'spec.versions[0].schema.openAPIV3Schema';

describe('CRD validation', () => {
  it('accepts the plain CRD', () => {
    expect(errors(crd())).toEqual([]);
  });

  it('requires structural schemas', () => {
    const anyOfType = crd((c) => {
      schemaOf(c).properties.spec.properties.size = {
        anyOf: [{ type: 'integer' }, { type: 'string', maximum: 3 }],
      };
    });
    expect(errors(anyOfType)).toEqual([
      `${P}.properties[spec].properties[size].anyOf[0].type: Forbidden: must be empty to be structural`,
      `${P}.properties[spec].properties[size].anyOf[1].type: Forbidden: must be empty to be structural`,
      `${P}.properties[spec].properties[size].type: Required value: must not be empty for specified object fields`,
    ]);
    const intOrString = crd((c) => {
      schemaOf(c).properties.spec.properties.size = {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      };
    });
    expect(errors(intOrString)).toEqual([]);
    expect(errors(crd((c) => (schemaOf(c).type = 'array')))).toContain(
      `${P}.type: Invalid value: "array": must be object at the root`,
    );
    expect(
      errors(
        crd(
          (c) =>
            (schemaOf(c).properties.metadata = {
              type: 'object',
              properties: { labels: { type: 'object' } },
            }),
        ),
      ),
    ).toEqual([
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
    expect(errors(crd((c) => (schemaOf(c).properties.spec.properties.tags = { type: 'array' })))).toEqual([
      `${P}.properties[spec].properties[tags].items: Required value: must be specified`,
    ]);
  });

  it('refuses the OpenAPI constructs CRDs may not use', () => {
    const ref = crd((c) => (schemaOf(c).properties.spec.properties.size = { type: 'integer', $ref: '#/x' }));
    expect(errors(ref)).toEqual([
      `${P}.properties[spec].properties[size].$ref: Forbidden: $ref is not supported`,
    ]);
    const both = crd((c) => (schemaOf(c).properties.spec.additionalProperties = { type: 'string' }));
    expect(errors(both)).toEqual([
      `${P}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]);
    const unique = crd((c) => (schemaOf(c).properties.spec.uniqueItems = true));
    expect(errors(unique)).toEqual([
      `${P}.properties[spec].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ]);
  });

  it('limits the root schema when the status subresource is on', () => {
    const c = crd((x) => {
      x.spec.versions[0].subresources = { status: {} };
      schemaOf(x).nullable = true;
    });
    expect(errors(c)[0]).toMatch(
      new RegExp(
        `^${P.replace(/[.[\]]/g, '\\$&')}: Invalid value: "object": only \\[Description Type .*\\] fields are allowed at the root of the schema if the status subresource is enabled$`,
      ),
    );
  });

  it('checks printer columns and scale paths', () => {
    const c = crd((x) => {
      x.spec.versions[0].additionalPrinterColumns = [{ name: 'Size', type: 'int', jsonPath: 'spec.size' }];
      x.spec.versions[0].subresources = {
        scale: { specReplicasPath: '.status.size', statusReplicasPath: '.status.n' },
      };
    });
    expect(errors(c)).toEqual([
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.size": should be a json path under .spec',
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "int": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[0].JSONPath: Invalid value: "spec.size": must be a simple json path starting with .',
    ]);
  });

  it('checks names', () => {
    const c = crd((x) => {
      x.spec.names.shortNames = ['w_1'];
      x.spec.names.listKind = 'Widget';
    });
    expect(errors(c)).toEqual([
      "spec.names.shortNames[0]: Invalid value: \"w_1\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      'spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same',
    ]);
    expect(errors(crd((x) => (x.spec.group = 'example')))).toEqual([
      'metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group',
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
    ]);
  });

  it('keeps group and plural, and once established scope and kind, on update', () => {
    const old = crd((x) => (x.status.conditions = [{ type: 'Established', status: 'True' }]));
    const changed = crd((x) => {
      x.spec.scope = 'Cluster';
      x.spec.names.kind = 'Gadget';
      x.spec.names.listKind = 'GadgetList';
    });
    expect(errors(changed, old)).toEqual([
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.kind: Invalid value: "Gadget": field is immutable',
    ]);
  });

  it('keeps previously stored versions in spec.versions', () => {
    const c = crd((x) => (x.status.storedVersions = ['v1beta1', 'v1']));
    expect(errors(c)).toEqual([
      'status.storedVersions[0]: Invalid value: "v1beta1": missing from spec.versions; v1beta1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1beta1 and removes v1beta1 from status.storedVersions',
    ]);
  });
});
