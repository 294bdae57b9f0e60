import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labNamespace } from '../../src/backends/kubeconfig/names.js';
import { KubeClient } from '../../src/kube/client.js';
import { kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';
import { harness } from '../scenario/cli-harness.js';

/**
 * The kubeconfig backend against a sim lab treated as "an existing cluster": the user's
 * KUBECONFIG points at it, and each clusterlab lab is a namespace of the learner's own there.
 */
const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/scenarios/sample');
const noKubectl = kubectlOnPath() ? undefined : missingTool('kubectl', 'scenario solutions run it');

describe.skipIf(noKubectl)('the kubeconfig backend on an existing (sim) cluster', () => {
  let cluster: TestLab;
  let api: KubeClient;
  const h = harness();
  const namespaces = async () =>
    (
      await api.getJson<{ items: Array<{ metadata: { name: string }; status: { phase: string } }> }>(
        '/api/v1/namespaces',
      )
    ).items
      .filter((n) => n.status.phase === 'Active')
      .map((n) => n.metadata.name);

  beforeAll(async () => {
    cluster = await startTestLab({ name: 'shared', nodes: 3 });
    api = KubeClient.fromFile(cluster.kubeconfig);
    Object.assign(h.env, { KUBECONFIG: cluster.kubeconfig, CLUSTERLAB_POD_START_TIMEOUT: '20' });
  }, 60_000);
  afterAll(async () => {
    h.cleanup();
    api?.close();
    await cluster?.stop();
  });

  it("up makes a namespace of the learner's own and a kubeconfig into it; down removes only that", async () => {
    const before = await namespaces();
    const up = await h.run(['up', '--backend', 'kubeconfig', '--name', 'ws']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('Lab "ws" is up: 3 nodes');
    expect(up.stdout).toContain('kubeconfig backend');
    expect(up.stderr).toContain('✓ Creating namespace clusterlab-ada-ws');
    expect(await namespaces()).toEqual([...before, 'clusterlab-ada-ws'].sort());

    const kc = (await h.run(['kubeconfig', '--name', 'ws'])).stdout.trim();
    const doc = parse(fs.readFileSync(kc, 'utf8'));
    expect(doc.contexts).toEqual([
      {
        name: 'clusterlab-ws',
        context: { cluster: 'clusterlab-ws', user: 'clusterlab-ws', namespace: 'clusterlab-ada-ws' },
      },
    ]);
    expect(fs.statSync(kc).mode & 0o777).toBe(0o600);
    // kubectl with the lab's kubeconfig works in the lab's namespace without -n.
    const made = await h.run([
      'kubectl',
      '--name',
      'ws',
      '--',
      'create',
      'configmap',
      'here',
      '--from-literal=a=b',
    ]);
    expect(made.code, made.stderr).toBe(0);
    expect((await api.request('GET', '/api/v1/namespaces/clusterlab-ada-ws/configmaps/here')).status).toBe(
      200,
    );

    // The sim serves no pod exec (501): the probe finds that out, and the catalog marks the steps.
    expect(up.stderr).toContain('✓ Finding out what the cluster allows (pod exec, node commands) — API only');
    expect(up.stderr).toContain(
      'podExec is not available: exec into a pod did not work: Unexpected server response: 501',
    );
    const catalog = JSON.parse((await h.run(['scenario', 'list', SAMPLE, '--name', 'ws', '--json'])).stdout);
    expect(catalog.backend).toBe('kubeconfig');
    expect(catalog.capabilities).toEqual([]);
    expect(catalog.scenarios[0].unavailableSteps.map((u: { id: string }) => u.id)).toEqual([
      'node-runs-web',
      'pod-env',
    ]);

    const status = JSON.parse((await h.run(['status', '--name', 'ws', '--json'])).stdout);
    expect(status).toMatchObject({ backend: 'kubeconfig', status: 'running', nodes: 3 });
    const again = await h.run(['up', '--name', 'ws']);
    expect(again.stdout).toContain('Lab "ws" is already running');

    const down = await h.run(['down', '--name', 'ws']);
    expect(down.code, down.stderr).toBe(0);
    expect(await namespaces()).toEqual(before);
  });

  it('refuses a namespace of that name that clusterlab did not make', async () => {
    await api.request('POST', '/api/v1/namespaces', {
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: labNamespace('ada', 'taken') },
      }),
    });
    const r = await h.run(['up', '--backend', 'kubeconfig', '--name', 'taken']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'namespace "clusterlab-ada-taken" already exists on the cluster and clusterlab did not make it',
    );
    expect((await api.request('GET', `/api/v1/namespaces/${labNamespace('ada', 'taken')}`)).status).toBe(200);
    expect(fs.existsSync(path.join(h.state, 'labs', 'taken'))).toBe(false);
  });

  it('stops before touching the cluster when the account lacks the rights a lab needs', async () => {
    const post = (p: string, body: unknown) => api.request('POST', p, { body: JSON.stringify(body) });
    await post('/api/v1/namespaces/default/serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'viewer' },
    });
    await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'viewer-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: 'default' }],
    });
    const token = JSON.parse(
      (
        await post('/api/v1/namespaces/default/serviceaccounts/viewer/token', {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: {},
        })
      ).body,
    ).status.token;
    const doc = parse(fs.readFileSync(cluster.kubeconfig, 'utf8'));
    doc.users[0].user = { token };
    const limited = path.join(h.home, 'viewer.kubeconfig');
    fs.writeFileSync(limited, JSON.stringify(doc));
    const before = await namespaces();
    const r = await h.run(['up', '--backend', 'kubeconfig', '--name', 'view'], {
      env: { KUBECONFIG: limited },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'cannot start lab "view": your account may not create namespaces (cluster-wide)',
    );
    expect(r.stderr).toContain('your account may not create pods in namespace clusterlab-ada-view');
    expect(r.stderr).toContain('fix: kubectl --context clusterlab-shared auth can-i create namespaces');
    expect(await namespaces()).toEqual(before);
  });

  it('says which context is missing, and which ones there are', async () => {
    const r = await h.run(['up', '--backend', 'kubeconfig', '--name', 'nope', '--context', 'workshop']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `there is no context "workshop" in ${cluster.kubeconfig} (its contexts: clusterlab-shared)`,
    );
    expect(r.stderr).toContain('fix: kubectl config get-contexts');
  });

  it('runs the sample scenario in a lab namespace of its own, and removes it afterwards', async () => {
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const n of await namespaces()) seen.add(n);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const r = await h.run(['scenario', 'test', SAMPLE, '--backend', 'kubeconfig', '--trust', '--json']);
    watching = false;
    await watcher;
    const doc = JSON.parse(r.stdout);
    expect(r.code, JSON.stringify(doc.runs?.[0], null, 2) + r.stderr).toBe(0);
    const run = doc.runs[0];
    expect(run.backend).toBe('kubeconfig');
    const byStep = Object.fromEntries(
      run.steps.map((s: { stepId: string; status: string }) => [s.stepId, s.status]),
    );
    for (const step of ['namespace', 'config', 'deployment', 'service', 'announce'])
      expect(byStep[step]).toBe('passed');
    expect(byStep['pod-env']).toBe('skipped');
    const ns = labNamespace('ada', run.lab);
    expect(seen.has(ns)).toBe(true);
    const left = await namespaces();
    expect(left).not.toContain(ns);
    expect(left).not.toContain('shop');
  });
});
