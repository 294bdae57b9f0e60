import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioNamespaceName } from '../../src/backends/kubeconfig/scenario-namespaces.js';
import { requireScenario } from '../../src/scenario/load.js';
import {
  displayScript,
  namespaceEnv,
  readStepMarkdown,
  resolveScenario,
  substituteNamespaces,
} from '../../src/scenario/namespaces.js';
import { scriptEnv } from '../../src/session/session.js';

/**
 * A scenario's declared namespaces, resolved for one lab: what the learner reads and what the
 * checks look at name the lab's namespace, never the one written in the scenario.
 */
const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/scenarios/sample');
const declared = requireScenario(SAMPLE);
const REAL = 'clusterlab-ana-ws--shop';
const resolved = resolveScenario(declared, { shop: REAL });
const step = (id: string) => resolved.steps.find((s) => s.id === id)!;
const check = (stepId: string, id: string) => step(stepId).checks.find((c) => c.id === id)!;

describe('a scenario resolved for a lab', () => {
  it('as loaded, each declared namespace is itself (sim, kind, vagrant)', () => {
    expect(declared.namespaces).toEqual({ shop: 'shop' });
    expect(readStepMarkdown(declared, declared.steps[0]!)).toContain('kubectl create namespace shop\n');
    expect(scriptEnv({}, declared, '/k', 'lab')).toMatchObject({ NS_SHOP: 'shop', KUBECONFIG: '/k' });
    expect(declared.steps[0]!.checks[0]!.description).toBe(
      'The namespace "shop" exists with the label team=web',
    );
    expect(declared.steps[0]!.checks[0]!.probe).toMatchObject({ kind: 'Namespace', name: 'shop' });
  });

  it('texts the learner reads name the real namespace', () => {
    const md = readStepMarkdown(resolved, step('namespace'));
    expect(md).toContain(`kubectl create namespace ${REAL}\nkubectl label namespace ${REAL} team=web`);
    expect(md).not.toContain('{{');
    expect(step('namespace').hints[2]).toBe(
      `kubectl create namespace ${REAL} && kubectl label namespace ${REAL} team=web`,
    );
    expect(check('namespace', 'labelled').description).toBe(
      `The namespace "${REAL}" exists with the label team=web`,
    );
    expect(check('deployment', 'one-app').description).toContain(`in "${REAL}"`);
  });

  it('every probe looks in the real namespace', () => {
    expect(check('namespace', 'labelled').probe).toMatchObject({ kind: 'Namespace', name: REAL });
    expect(check('config', 'color').probe).toMatchObject({ namespace: REAL, name: 'web-config' });
    expect(check('service', 'api').probe).toMatchObject({
      target: { apiServer: `/api/v1/namespaces/${REAL}/services/web` },
    });
    expect(check('service', 'cluster-ip').probe).toMatchObject({
      from: { probe: { namespace: REAL, name: 'web' } },
    });
    expect(check('announce', 'announced').probe).toMatchObject({ probe: 'event', namespace: REAL });
    expect(check('node-runs-web', 'crictl').probe).toMatchObject({
      command: ['sh', '-c', `crictl pods --namespace ${REAL} --label app=web --state ready -q`],
    });
    expect(check('pod-env', 'env').probe).toMatchObject({ probe: 'podExec', namespace: REAL });
    // The loaded scenario is not changed, and resolving it again starts from what was written.
    expect(declared.steps[1]!.checks[0]!.probe).toMatchObject({ namespace: 'shop' });
    const again = resolveScenario(resolved, { shop: 'other' });
    expect(again.steps[0]!.checks[0]!.description).toBe(
      'The namespace "other" exists with the label team=web',
    );
  });

  it('scripts get NS_<NAME>, and a solution is shown with the name written out', () => {
    expect(namespaceEnv({ shop: REAL, 'my-app': 'x' })).toEqual({ NS_SHOP: REAL, NS_MY_APP: 'x' });
    expect(scriptEnv({}, resolved, '/k', 'ws').NS_SHOP).toBe(REAL);
    const map = { shop: REAL };
    expect(displayScript('kubectl create namespace "$NS_SHOP"\n', map)).toBe(
      `kubectl create namespace ${REAL}\n`,
    );
    expect(displayScript('kubectl -n $NS_SHOP get cm; echo $NS_SHOP/x "$NS_OTHER"', map)).toBe(
      `kubectl -n ${REAL} get cm; echo ${REAL}/x "$NS_OTHER"`,
    );
    expect(displayScript(['kubectl -n "$', '{NS_SHOP}" get cm'].join(''), map)).toBe(
      `kubectl -n ${REAL} get cm`,
    );
    expect(substituteNamespaces('{{ ns:shop }} and {{ns:other}}', map)).toBe(`${REAL} and {{ns:other}}`);
  });
});

describe('scenario namespaces on a shared cluster', () => {
  it('are the lab namespace, "--" and the declared name, hashed to fit a DNS label', () => {
    expect(scenarioNamespaceName('clusterlab-ada-ws', 'shop')).toBe('clusterlab-ada-ws--shop');
    const lab = `clusterlab-ada-${'x'.repeat(40)}`;
    const a = scenarioNamespaceName(lab, 'shop');
    const b = scenarioNamespaceName(lab, 'store');
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(a).not.toBe(b);
  });
});
