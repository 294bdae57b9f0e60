import { describe, expect, it } from 'vitest';
import { printerColumnsTable } from '../../src/sim/kinds/apiextensions/printer-columns.js';
import { compileJsonPath, formatJsonPathValue, JsonPathError } from '../../src/sim/kinds/common/jsonpath.js';

/** kubectl's JSONPath subset as CRD printer columns (and scenario checks) use it. */

const pod = {
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 3, containers: [{ name: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'sidecar' }] },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', count: 2 },
      { type: 'Available', status: 'False', count: 5 },
    ],
  },
};

const find = (expr: string) => compileJsonPath(expr).find(pod);

describe('JSONPath', () => {
  it('follows fields, with or without braces, and yields nothing for missing keys', () => {
    expect(find('.spec.replicas')).toEqual([3]);
    expect(find('{.metadata.name}')).toEqual(['web']);
    expect(find('.spec.missing.deeper')).toEqual([]);
    expect(find("{.metadata.labels['app.kubernetes.io/name']}")).toEqual(['web']);
    expect(find('.metadata.labels.app\\.kubernetes\\.io/name')).toEqual(['web']);
  });

  it('indexes, slices and wildcards arrays', () => {
    expect(find('.spec.containers[0].name')).toEqual(['nginx']);
    expect(find('.spec.containers[-1].name')).toEqual(['sidecar']);
    expect(find('.spec.containers[*].name')).toEqual(['nginx', 'sidecar']);
    expect(find('.spec.containers[0:1].name')).toEqual(['nginx']);
    expect(find('.spec.containers[5].name')).toEqual([]);
    expect(find('..containerPort')).toEqual([80]);
  });

  it('filters by equality, comparison and existence', () => {
    expect(find('.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(find(".status.conditions[?(@.type=='Available')].status")).toEqual(['False']);
    expect(find('.status.conditions[?(@.count > 3)].type')).toEqual(['Available']);
    expect(find('.status.conditions[?(@.type!="Ready")].type')).toEqual(['Available']);
    expect(find('.spec.containers[?(@.ports)].name')).toEqual(['nginx']);
  });

  it('rejects what kubectl cannot parse', () => {
    expect(() => compileJsonPath('.spec.containers[')).toThrow(JsonPathError);
    expect(() => compileJsonPath('.status.conditions[?(@.type=="Ready"]')).toThrow(JsonPathError);
  });

  it('prints values as kubectl does', () => {
    expect(formatJsonPathValue('x')).toBe('x');
    expect(formatJsonPathValue(3)).toBe('3');
    expect(formatJsonPathValue(2.5)).toBe('2.5');
    expect(formatJsonPathValue(1.5e-7)).toBe('1.5e-07');
    expect(formatJsonPathValue({ a: [1] })).toBe('{"a":[1]}');
  });
});

describe('printer column cells', () => {
  const columns = [
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Count', type: 'number', jsonPath: '.status.conditions[0].count' },
    { name: 'Names', type: 'string', jsonPath: '.spec.containers[*].name' },
    { name: 'Wrong', type: 'boolean', jsonPath: '.spec.replicas' },
    { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
    { name: 'Created', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ];
  const now = Date.parse('2025-01-01T00:10:00Z');
  const obj = { ...pod, metadata: { ...pod.metadata, creationTimestamp: '2025-01-01T00:00:00Z' } };

  it('converts each value to its column type, taking the first match', () => {
    const table = printerColumnsTable(columns);
    expect(table.columns.map((c) => c.name)).toEqual(['Name', ...columns.map((c) => c.name)]);
    expect(table.row(obj, now)).toEqual(['web', 3, 'True', 2, 'nginx', null, null, '10m']);
  });

  it('shows a date that does not parse as <invalid>', () => {
    const table = printerColumnsTable([{ name: 'When', type: 'date', jsonPath: '.spec.when' }]);
    expect(table.row({ metadata: { name: 'x' }, spec: { when: 'yesterday' } }, now)).toEqual([
      'x',
      '<invalid>',
    ]);
  });
});
