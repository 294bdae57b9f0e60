import { describe, expect, it } from 'vitest';
import { printJsonPath, selectValues } from '../../src/checks/jsonpath/evaluate.js';
import { JsonPathError, parseJsonPath } from '../../src/checks/jsonpath/parse.js';

const pod = {
  kind: 'Pod',
  metadata: { name: 'web-1', labels: { app: 'web', 'app.kubernetes.io/name': 'shop' } },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox:1.36' },
    ],
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False' },
    ],
    restarts: 3,
  },
};
const list = { items: [pod, { ...pod, metadata: { name: 'web-2' } }] };

/** What `kubectl get -o jsonpath=…` prints for these templates. */
const print = (t: string, o: unknown = pod) => printJsonPath(parseJsonPath(t), o);

describe("kubectl's JSONPath", () => {
  it('fields, indexes, wildcards, slices and unions', () => {
    expect(print('{.status.phase}')).toBe('Running');
    expect(print('{.spec.containers[0].image}')).toBe('nginx:1.27');
    expect(print('{.spec.containers[-1].name}')).toBe('sidecar');
    expect(print('{.spec.containers[*].name}')).toBe('nginx sidecar');
    expect(print('{.spec.containers[0:1].name}')).toBe('nginx');
    expect(print('{.spec.containers[0,1].image}')).toBe('nginx:1.27 busybox:1.36');
    expect(print("{.metadata.labels['app.kubernetes.io/name']}")).toBe('shop');
    expect(print('{.metadata.labels.app\\.kubernetes\\.io/name}')).toBe('shop');
    expect(print('{$.kind}')).toBe('Pod');
  });

  it('filters, recursive descent, range, literals', () => {
    expect(print('{.status.conditions[?(@.type=="Ready")].status}')).toBe('False');
    expect(print("{.status.conditions[?(@.status!='False')].type}")).toBe('Initialized');
    expect(print('{.spec.containers[?(@.ports)].name}')).toBe('nginx');
    expect(print('{..containerPort}')).toBe('80');
    expect(print('{range .items[*]}{.metadata.name}{"\\n"}{end}', list)).toBe('web-1\nweb-2\n');
    expect(print('name={.metadata.name}')).toBe('name=web-1');
  });

  it('objects and numbers print as kubectl prints them; missing keys print nothing', () => {
    expect(print('{.metadata.labels}')).toBe('{"app":"web","app.kubernetes.io/name":"shop"}');
    expect(print('{.status.restarts}')).toBe('3');
    expect(print('{.status.nothing}')).toBe('');
    expect(selectValues(parseJsonPath('{.status.nothing}'), pod)).toEqual([]);
  });

  it('a bare path without braces is read as one, as kubectl wait --for=jsonpath does', () => {
    expect(print('.status.phase')).toBe('Running');
  });

  it.each([
    ['{.status.phase', 0, 'unclosed action: a "{" without its "}"'],
    ['{.spec.containers[0}', 17, 'unterminated "[": the "]" is missing'],
    ['{.status.conditions[?(@.type="Ready")]}', 28, 'compare with "==", not "="'],
    ['{.items[?(@.x == Ready)]}', 17, '"Ready" is not a value: quote strings, as in "Ready"'],
    ['{status.phase}', 1, 'a path starts with "." or "$" (write "{.status.phase}")'],
    ['{.spec.containers[name]}', 18, "array indexes are numbers; for a field write ['name'] or .name"],
    ['{range .items[*]}{.metadata.name}', 33, '"{range …}" is never closed with "{end}"'],
    ['{.a}{end}', 4, '"{end}" without a "{range …}" before it'],
    ['{.items[::0]}', 10, 'a slice step cannot be 0'],
  ])('%s is a syntax error at offset %i: %s', (source, offset, message) => {
    try {
      parseJsonPath(source);
    } catch (e) {
      expect(e).toBeInstanceOf(JsonPathError);
      expect([(e as JsonPathError).offset, (e as Error).message]).toEqual([offset, message]);
      return;
    }
    throw new Error(`${source} parsed`);
  });
});
