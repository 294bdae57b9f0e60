import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlVersions } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/**
 * Patches as a learner makes them: `kubectl apply` (client-side, strategic merge), `kubectl
 * apply --server-side`, `kubectl patch` of each type, `kubectl label`/`annotate`, with every
 * kubectl ≥ 1.29 installed, each against its own lab.
 */

const versions = kubectlVersions(29);
const skip =
  versions.length === 0 ? missingTool('kubectl', 'the patch suite drives the real kubectl') : undefined;

const deployment = (opts: { image?: string; containers?: string; replicas?: number; name?: string } = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${opts.name ?? 'web'}
  namespace: default
  labels: {app: web}
spec:
  replicas: ${opts.replicas ?? 2}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
${
  opts.containers ??
  `      - name: web
        image: ${opts.image ?? 'nginx:1.25'}
        ports: [{containerPort: 80}]
      - name: sidecar
        image: busybox:1.36
        command: [sleep, "3600"]`
}
`;

const configMap = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: default
data:
  color: blue
`;

describe.skipIf(!!skip).each(versions)('patches with kubectl $label', ({ label, bin }) => {
  let lab: TestLab;
  let kubectl: Kubectl;
  let dir: string;
  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin, lab.kubeconfig, label);
    dir = fs.mkdtempSync(path.join(lab.dir, 'manifests-'));
  });
  afterAll(() => lab?.stop());

  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const json = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);
  const managed = async (args: string[]) =>
    (await json([...args, '--show-managed-fields'])).metadata.managedFields as any[];

  it('kubectl apply creates, leaves an unchanged object alone, and merges containers by name', async () => {
    const first = file('app.yaml', `${configMap}---${deployment()}`);
    const created = await kubectl(['apply', '-f', first]);
    expect(created.stdout).toBe('configmap/app-config created\ndeployment.apps/web created\n');
    // Once rolled out, only a writer other than the controllers could change the object.
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const before = await json(['get', 'deployment', 'web']);

    const again = await kubectl(['apply', '-f', first]);
    expect(again.stdout).toBe('configmap/app-config unchanged\ndeployment.apps/web unchanged\n');
    expect((await json(['get', 'deployment', 'web'])).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );

    // Another writer adds an env var to the web container; apply must merge into that item.
    await kubectl([
      'patch',
      'deployment',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"MODE","value":"x"}]}]}}}}',
    ]);
    const changed = file(
      'app2.yaml',
      `${configMap}---${deployment({
        containers: `      - name: log
        image: fluentd:1
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]`,
      })}`,
    );
    const configured = await kubectl(['apply', '-f', changed]);
    expect(configured.stdout).toBe('configmap/app-config unchanged\ndeployment.apps/web configured\n');
    const after = await json(['get', 'deployment', 'web']);
    const containers = after.spec.template.spec.containers;
    expect(containers.map((c: any) => c.name)).toEqual(['log', 'web']);
    const web = containers.find((c: any) => c.name === 'web');
    expect(web).toMatchObject({
      image: 'nginx:1.27',
      env: [{ name: 'MODE', value: 'x' }],
      terminationMessagePath: '/dev/termination-log',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(after.metadata.managedFields).toBeUndefined();
    const owners = (await managed(['get', 'deployment', 'web']))
      .filter((e) => e.manager !== 'kube-controller-manager')
      .map((e) => `${e.manager}/${e.operation}`);
    expect(owners.sort()).toEqual(['kubectl-client-side-apply/Update', 'kubectl-patch/Update']);
  });

  it('kubectl apply --server-side is a no-op the second time and reports conflicts as upstream', async () => {
    const manifest = file('ssa.yaml', deployment({ name: 'ssa' }));
    expect((await kubectl(['apply', '--server-side', '-f', manifest])).stdout).toBe(
      'deployment.apps/ssa serverside-applied\n',
    );
    await kubectl(['rollout', 'status', 'deployment/ssa', '--timeout=60s']);
    const rv = (await json(['get', 'deployment', 'ssa'])).metadata.resourceVersion;
    expect((await kubectl(['apply', '--server-side', '-f', manifest])).stdout).toBe(
      'deployment.apps/ssa serverside-applied\n',
    );
    expect((await json(['get', 'deployment', 'ssa'])).metadata.resourceVersion).toBe(rv);

    const scaled = file('ssa5.yaml', deployment({ name: 'ssa', replicas: 5 }));
    const conflict = await kubectl(['apply', '--server-side', '--field-manager=ops', '-f', scaled], {
      allowFail: true,
    });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(
      /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas\nPlease review the fields above/,
    );
    expect((await json(['get', 'deployment', 'ssa'])).spec.replicas).toBe(2);

    await kubectl(['apply', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', scaled]);
    expect((await json(['get', 'deployment', 'ssa'])).spec.replicas).toBe(5);
    const entries = await managed(['get', 'deployment', 'ssa']);
    const ops = entries.find((e) => e.manager === 'ops');
    const mine = entries.find((e) => e.manager === 'kubectl');
    expect(ops).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(ops.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ops.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(mine.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  it('kubectl patch applies strategic, merge and JSON patches, and label/annotate patch too', async () => {
    await kubectl(['apply', '-f', file('p.yaml', deployment({ name: 'p' }))]);
    await kubectl([
      'patch',
      'deployment',
      'p',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}',
    ]);
    await kubectl(['patch', 'deployment', 'p', '--type', 'merge', '-p', '{"spec":{"replicas":4}}']);
    await kubectl([
      'patch',
      'deployment',
      'p',
      '--type',
      'json',
      '-p',
      // json-patch v4, as the API server uses: replace sets a field the object lacks.
      '[{"op":"replace","path":"/spec/minReadySeconds","value":3}]',
    ]);
    await kubectl(['label', 'deployment', 'p', 'tier=front']);
    await kubectl(['annotate', 'deployment', 'p', 'owner=team-a']);
    const p = await json(['get', 'deployment', 'p']);
    expect(p.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual([
      'web=nginx:1.25',
      'sidecar=busybox:1.37',
    ]);
    expect(p.spec.replicas).toBe(4);
    expect(p.spec.minReadySeconds).toBe(3);
    expect(p.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(p.metadata.annotations.owner).toBe('team-a');
    // The deployment controller's own writes show as kube-controller-manager, as upstream.
    const managers = (await managed(['get', 'deployment', 'p']))
      .map((e) => e.manager)
      .filter((m) => m !== 'kube-controller-manager')
      .sort();
    expect(managers).toEqual([
      'kubectl-annotate',
      'kubectl-client-side-apply',
      'kubectl-label',
      'kubectl-patch',
    ]);
  });

  it('kubectl patch reports bad patches with upstream messages', async () => {
    await kubectl(['apply', '-f', file('bad.yaml', deployment({ name: 'bad' }))]);
    const noKey = await kubectl(
      ['patch', 'deployment', 'bad', '-p', '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}'],
      { allowFail: true },
    );
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toBe(
      'Error from server: map: map[image:x] does not contain declared merge key: name\n',
    );
    const missing = await kubectl(
      ['patch', 'deployment', 'bad', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/paused"}]'],
      { allowFail: true },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'The request is invalid: the server rejected our request due to an error in our request\n',
    );
  });
});
