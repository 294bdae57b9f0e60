import { describe, expect, it } from 'vitest';
import { evaluate, evaluateConditions } from '../../src/checks/conditions.js';
import { parseJsonPath } from '../../src/checks/jsonpath/parse.js';
import { toNumber } from '../../src/checks/quantity.js';
import {
  fieldsMatch,
  labelsMatch,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from '../../src/checks/selectors.js';
import type { Condition, PathTest } from '../../src/checks/types.js';

const c = (path: string, test: PathTest): Condition => ({ t: 'path', path: parseJsonPath(path), test });
const deploy = {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    template: {
      spec: { containers: [{ name: 'nginx', resources: { limits: { memory: '128Mi', cpu: '500m' } } }] },
    },
  },
  status: { readyReplicas: 2 },
};

describe('conditions: expected vs actual in kubectl terms', () => {
  it('equals compares what kubectl prints; the failure shows both', () => {
    expect(evaluate(c('{.spec.replicas}', { op: 'equals', value: 3 }), deploy)).toEqual({
      ok: true,
      expected: '{.spec.replicas} equals "3"',
      actual: '{.spec.replicas} is "3"',
    });
    expect(evaluate(c('{.status.readyReplicas}', { op: 'equals', value: 3 }), deploy)).toEqual({
      ok: false,
      expected: '{.status.readyReplicas} equals "3"',
      actual: '{.status.readyReplicas} is "2"',
    });
  });

  it('exists and absent; a missing field is "not set"', () => {
    expect(evaluate(c('{.status.nothing}', { op: 'exists' }), deploy)).toMatchObject({
      ok: false,
      actual: '{.status.nothing} is not set',
    });
    expect(evaluate(c('{.status.nothing}', { op: 'absent' }), deploy).ok).toBe(true);
    expect(evaluate(c('{.metadata.name}', { op: 'absent' }), undefined).ok).toBe(true);
  });

  it('comparisons understand numbers and quantities', () => {
    const mem = '{.spec.template.spec.containers[0].resources.limits.memory}';
    expect(evaluate(c(mem, { op: 'gte', value: '64Mi' }), deploy).ok).toBe(true);
    expect(evaluate(c(mem, { op: 'lt', value: '100M' }), deploy).ok).toBe(false);
    expect(
      evaluate(
        c('{.spec.template.spec.containers[0].resources.limits.cpu}', { op: 'lte', value: 0.5 }),
        deploy,
      ).ok,
    ).toBe(true);
    expect(evaluate(c('{.status.readyReplicas}', { op: 'gt', value: 1 }), deploy)).toMatchObject({
      ok: true,
      expected: '{.status.readyReplicas} is greater than 1',
    });
    expect([toNumber('1Gi'), toNumber('250m'), toNumber('1e3'), toNumber('web')]).toEqual([
      2 ** 30,
      0.25,
      1000,
      undefined,
    ]);
  });

  it('matches, notEquals and count', () => {
    expect(evaluate(c('{.metadata.name}', { op: 'matches', regex: /^we/ }), deploy).ok).toBe(true);
    expect(evaluate(c('{.metadata.name}', { op: 'notEquals', value: 'web' }), deploy).ok).toBe(false);
    expect(
      evaluate(c('{.spec.template.spec.containers[*]}', { op: 'count', count: { op: 'eq', n: 2 } }), deploy),
    ).toEqual({
      ok: false,
      expected: '{.spec.template.spec.containers[*]} has exactly 2 values',
      actual: '{.spec.template.spec.containers[*]} has 1 value',
    });
  });

  it('all, any and not combine, and say which part failed', () => {
    const ready = c('{.status.readyReplicas}', { op: 'equals', value: 3 });
    const named = c('{.metadata.name}', { op: 'equals', value: 'web' });
    expect(evaluateConditions([named, ready], deploy)).toEqual({
      ok: false,
      expected: '{.metadata.name} equals "web"; {.status.readyReplicas} equals "3"',
      actual: '{.status.readyReplicas} is "2"',
    });
    expect(evaluate({ t: 'any', of: [ready, named] }, deploy)).toMatchObject({
      ok: true,
      expected: 'any of: {.status.readyReplicas} equals "3" or {.metadata.name} equals "web"',
    });
    expect(evaluate({ t: 'not', of: ready }, deploy)).toMatchObject({
      ok: true,
      expected: 'not ({.status.readyReplicas} equals "3")',
    });
  });
});

describe('label and field selectors, as kubectl -l and --field-selector take them', () => {
  it('equality, sets, existence', () => {
    const l = { app: 'web', tier: 'front' };
    const m = (s: string) => labelsMatch(parseLabelSelector(s), l);
    expect([
      m('app=web'),
      m('app==web'),
      m('app!=web'),
      m('tier in (front,back)'),
      m('tier notin (front)'),
      m('app'),
      m('!legacy'),
      m('!app'),
    ]).toEqual([true, true, false, true, false, true, true, false]);
    expect(m('app=web,tier=back')).toBe(false);
  });

  it('field selectors on dotted paths', () => {
    const pod = { metadata: { name: 'a' }, status: { phase: 'Running' }, spec: { nodeName: 'lab-worker' } };
    expect(fieldsMatch(parseFieldSelector('status.phase=Running,spec.nodeName!=lab-worker2'), pod)).toBe(
      true,
    );
    expect(fieldsMatch(parseFieldSelector('metadata.name=b'), pod)).toBe(false);
  });

  it('errors say what to write and where', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(SelectorError);
    try {
      parseLabelSelector('app=web, -bad=x');
      throw new Error('parsed');
    } catch (e) {
      expect([(e as SelectorError).offset, (e as Error).message]).toEqual([
        9,
        '"-bad" is not a valid label key (letters, digits, "-", "_", "." and an optional "prefix/")',
      ]);
    }
  });
});
