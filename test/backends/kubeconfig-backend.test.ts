import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createKubeconfigBackend } from '../../src/backends/kubeconfig/index.js';
import { labNamespace } from '../../src/backends/kubeconfig/names.js';
import { scenarioNamespaceName } from '../../src/backends/kubeconfig/scenario-namespaces.js';
import { labNodes } from '../../src/backends/labs.js';
import { silentLogger } from '../../src/backends/types.js';
import { KubeClient } from '../../src/kube/client.js';
import { kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
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

  const post = (p: string, body: unknown) => api.request('POST', p, { body: JSON.stringify(body) });
  /** A kubeconfig of the sim's cluster acting as a service account bound to a ClusterRole. */
  const accountKubeconfig = async (name: string, role: string, rules?: unknown[]): Promise<string> => {
    await post('/api/v1/namespaces/default/serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name },
    });
    if (rules)
      await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: role },
        rules,
      });
    await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${name}-${role}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name, namespace: 'default' }],
    });
    // The sim authenticates one credential, its admin's; the account is who it impersonates
    // (kubeconfig's `as`), which the access reviews clusterlab asks answer for.
    const doc = parse(fs.readFileSync(cluster.kubeconfig, 'utf8'));
    doc.users[0].user.as = `system:serviceaccount:default:${name}`;
    const file = path.join(h.home, `${name}.kubeconfig`);
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  };
  /** What a workshop account without `kubectl exec` may do: everything the sample scenario needs. */
  const NO_EXEC_RULES = [
    { apiGroups: [''], resources: ['namespaces', 'pods', 'services', 'configmaps', 'events'], verbs: ['*'] },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['*'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  ];
  const SAMPLE_STEPS_NEED = { 'node-runs-web': 'nodeExec', 'pod-env': 'podExec' } as const;

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

    // What the cluster allows beyond its API is found out by trying it; the catalog follows it.
    expect(up.stderr).toContain('✓ Finding out what the cluster allows (pod exec, node commands)');
    const catalog = JSON.parse((await h.run(['scenario', 'list', SAMPLE, '--name', 'ws', '--json'])).stdout);
    expect(catalog.backend).toBe('kubeconfig');
    const caps: string[] = catalog.capabilities;
    for (const cap of ['podExec', 'nodeExec'])
      if (!caps.includes(cap)) expect(up.stderr).toContain(`${cap} is not available: `);
    expect(catalog.scenarios[0].unavailableSteps.map((u: { id: string }) => u.id)).toEqual(
      Object.entries(SAMPLE_STEPS_NEED)
        .filter(([, cap]) => !caps.includes(cap))
        .map(([id]) => id),
    );

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
    const limited = await accountKubeconfig('viewer', 'view');
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

  it('without pods/exec, node and pod commands are "not available" and the catalog marks the steps that need them', async () => {
    const env = { KUBECONFIG: await accountKubeconfig('learner', 'clusterlab-no-exec', NO_EXEC_RULES) };
    const up = await h.run(['up', '--backend', 'kubeconfig', '--name', 'noexec'], { env });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain(
      'warning: your account may not create pods/exec in namespace clusterlab-ada-noexec, so podExec steps of scenarios are skipped',
    );
    expect(up.stderr).toContain('podExec is not available: your account may not exec into pods (pods/exec)');
    expect(up.stderr).toContain(
      'nodeExec is not available: node commands run through pod exec, which is not available',
    );
    const catalog = JSON.parse(
      (await h.run(['scenario', 'list', SAMPLE, '--name', 'noexec', '--json'], { env })).stdout,
    );
    expect(catalog.capabilities).toEqual([]);
    expect(catalog.scenarios[0].unavailableSteps.map((u: { id: string }) => u.id)).toEqual(
      Object.keys(SAMPLE_STEPS_NEED),
    );
    const nodes = await labNodes('noexec', {
      stateDir: h.state,
      log: silentLogger,
      env: { ...h.env, ...env },
    });
    expect(nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(await nodes[1]!.exec(['crictl', 'ps'])).toEqual({
      stdout: '',
      stderr: `cannot run "crictl ps" on ${nodes[1]!.name}: node commands are not available on this backend (node commands run through pod exec, which is not available)\n`,
      exitCode: 1,
    });
    expect((await h.run(['down', '--name', 'noexec'], { env })).code).toBe(0);
    expect(await namespaces()).not.toContain('clusterlab-ada-noexec');
  });

  it('says when the cluster has fewer nodes than the lab was written for', async () => {
    const up = await h.run(['up', '--backend', 'kubeconfig', '--name', 'big', '--nodes', '5']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain(
      'warning: the cluster has 3 nodes and lab "default" expects 5; steps that need more nodes may not pass',
    );
    expect((await h.run(['down', '--name', 'big'])).code).toBe(0);
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
    // A workshop account without `kubectl exec`: the steps that run commands are skipped, the
    // rest must pass. (With every right, what runs depends on the sim's exec support; the
    // engine then fails later steps that build on a skipped one, by design.)
    const env = { KUBECONFIG: await accountKubeconfig('learner', 'clusterlab-no-exec', NO_EXEC_RULES) };
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const n of await namespaces()) seen.add(n);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const r = await h.run(['scenario', 'test', SAMPLE, '--backend', 'kubeconfig', '--trust', '--json'], {
      env,
    });
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
    for (const step of Object.keys(SAMPLE_STEPS_NEED)) {
      expect(byStep[step]).toBe('skipped');
      expect(run.steps.find((s: { stepId: string }) => s.stepId === step).reason).toMatch(
        /^needs (podExec|nodeExec), which the kubeconfig backend does not offer/,
      );
    }
    // The scenario's namespace "shop" is the lab's own: clusterlab-ada-<lab>--shop.
    const ns = labNamespace('ada', run.lab);
    const shop = scenarioNamespaceName(ns, 'shop');
    expect(shop).toBe(`${ns}--shop`);
    expect(seen.has(ns)).toBe(true);
    expect(seen.has(shop)).toBe(true);
    expect(seen.has('shop')).toBe(false);
    const left = await namespaces();
    expect(left).not.toContain(ns);
    expect(left).not.toContain(shop);
  });

  it('two learners run the sample at the same time on one cluster, each in namespaces of their own', async () => {
    const kubeconfig = await accountKubeconfig('learner', 'clusterlab-no-exec', NO_EXEC_RULES);
    // Who owns each object of the sample the watcher sees: the namespace it is in.
    const homes = new Map<string, Set<string>>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const kind of ['configmaps', 'services', 'events']) {
          const list = await api.getJson<{ items: Array<{ metadata: { name: string; namespace: string } }> }>(
            `/api/v1/${kind}`,
          );
          for (const o of list.items)
            if (
              o.metadata.name === 'web' ||
              o.metadata.name === 'web-config' ||
              o.metadata.name.startsWith('web-release-')
            ) {
              const at = homes.get(o.metadata.namespace) ?? new Set<string>();
              at.add(
                `${kind}/${o.metadata.name.startsWith('web-release-') ? 'web-release' : o.metadata.name}`,
              );
              homes.set(o.metadata.namespace, at);
            }
        }
        const deploys = await api.getJson<{
          items: Array<{ metadata: { name: string; namespace: string } }>;
        }>('/apis/apps/v1/deployments');
        for (const d of deploys.items)
          if (d.metadata.name === 'web')
            homes.set(
              d.metadata.namespace,
              (homes.get(d.metadata.namespace) ?? new Set()).add('deployments/web'),
            );
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const runAs = (learner: string) =>
      h.run(['scenario', 'test', SAMPLE, '--backend', 'kubeconfig', '--trust', '--json'], {
        env: {
          KUBECONFIG: kubeconfig,
          CLUSTERLAB_LEARNER: learner,
          CLUSTERLAB_HOME: path.join(h.home, learner),
        },
      });
    const [ana, bob] = await Promise.all([runAs('ana'), runAs('bob')]);
    watching = false;
    await watcher;
    const shops: string[] = [];
    for (const [learner, r] of [
      ['ana', ana],
      ['bob', bob],
    ] as const) {
      const doc = JSON.parse(r.stdout);
      expect(r.code, `${learner}: ${JSON.stringify(doc.runs?.[0], null, 2)}${r.stderr}`).toBe(0);
      const run = doc.runs[0];
      for (const s of run.steps) expect(s.status).toBe(s.stepId in SAMPLE_STEPS_NEED ? 'skipped' : 'passed');
      shops.push(scenarioNamespaceName(labNamespace(learner, run.lab), 'shop'));
    }
    expect(shops[0]).toMatch(/^clusterlab-ana-test-sample-shop-[0-9a-f]{6}--shop$/);
    expect(shops[1]).toMatch(/^clusterlab-bob-test-sample-shop-[0-9a-f]{6}--shop$/);
    // Every object of the sample was made in one learner's shop, and each learner made all of theirs.
    expect([...homes.keys()].sort()).toEqual([...shops].sort());
    for (const shop of shops)
      expect([...homes.get(shop)!].sort()).toEqual([
        'configmaps/web-config',
        'deployments/web',
        'events/web-release',
        'services/web',
      ]);
    const left = await namespaces();
    for (const shop of shops) expect(left).not.toContain(shop);
  });

  it("down deletes the namespaces the lab's scenarios made, and only those", async () => {
    const up = await h.run(['up', '--backend', 'kubeconfig', '--name', 'keep']);
    expect(up.code, up.stderr).toBe(0);
    const backend = createKubeconfigBackend({ stateDir: h.state, log: silentLogger, env: h.env });
    const map = await backend.scenarioNamespaces!('keep', ['shop', 'store']);
    expect(map).toEqual({ shop: 'clusterlab-ada-keep--shop', store: 'clusterlab-ada-keep--store' });
    // The learner makes "shop" as the sample's first step does; "store" is never made.
    const kc = (await h.run(['kubeconfig', '--name', 'keep'])).stdout.trim();
    const kubectl = kubectlFor('kubectl', kc);
    await kubectl(['create', 'namespace', map.shop!]);
    await kubectl(['-n', map.shop!, 'create', 'configmap', 'web-config', '--from-literal=a=b']);
    // Lab "keep-shop" of the same learner is clusterlab-ada-keep-shop: not one of keep's.
    const other = await h.run(['up', '--backend', 'kubeconfig', '--name', 'keep-shop']);
    expect(other.code, other.stderr).toBe(0);

    const down = await h.run(['down', '--name', 'keep']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(
      "✓ Deleting namespace clusterlab-ada-keep and its scenarios' (clusterlab-ada-keep--shop, clusterlab-ada-keep--store)",
    );
    const left = await namespaces();
    expect(left.filter((n) => n.startsWith('clusterlab-ada-keep'))).toEqual(['clusterlab-ada-keep-shop']);
    expect((await h.run(['down', '--name', 'keep-shop'])).code).toBe(0);
  });
});
