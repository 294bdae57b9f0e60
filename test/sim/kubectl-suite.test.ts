import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlVersions } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/**
 * The kubectl suite: what a learner does with kubectl, run with the kubectl on PATH and
 * every kubectl ≥ 1.29 installed beside it, each against its own fresh sim lab.
 */

const versions = kubectlVersions(29);
const skip =
  versions.length === 0 ? missingTool('kubectl', 'the kubectl suite drives the real kubectl') : undefined;

const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', 'kubectl', name);

describe.skipIf(!!skip).each(versions)('kubectl $label', ({ label, bin }) => {
  let lab: TestLab;
  let kubectl: Kubectl;
  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin, lab.kubeconfig, label);
  });
  afterAll(() => lab?.stop());

  const json = async (args: string[]) => JSON.parse((await kubectl([...args, '-o', 'json'])).stdout);

  it('get nodes,ns shows the lab as a 3-node cluster with the system namespaces', async () => {
    const { stdout } = await kubectl(['get', 'nodes,ns']);
    expect(stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m);
    expect(stdout).toMatch(/^node\/lab-control-plane\s+Ready\s+control-plane\s+\S+\s+v1\.33\.1$/m);
    expect(stdout).toMatch(/^node\/lab-worker2\s+Ready\s+<none>/m);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      expect(stdout).toMatch(new RegExp(`^namespace/${ns}\\s+Active\\s+`, 'm'));
    }
  });

  it('api-resources lists kinds with their short names', async () => {
    const { stdout } = await kubectl(['api-resources']);
    expect(stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(stdout).toMatch(
      /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
    );
    const short = await kubectl(['get', 'po,svc,cm,deploy', '-n', 'default']);
    expect(short.stdout).toMatch(/^service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+/m);
  });

  it('create ns, then apply a multi-document file with default validation, again unchanged, then changed', async () => {
    await kubectl(['create', 'ns', 'shop']);
    const first = await kubectl(['apply', '-n', 'shop', '-f', fixture('app-v1.yaml')]);
    expect(first.stdout.trim().split('\n')).toEqual([
      'configmap/web-config created',
      'secret/web-secret created',
      'deployment.apps/web created',
      'service/web created',
    ]);
    // Once rolled out, only a writer other than the controllers could change the Deployment.
    await kubectl(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=60s']);
    const before = await json(['get', 'deploy', 'web', '-n', 'shop']);
    const secretBefore = await json(['get', 'secret', 'web-secret', '-n', 'shop']);
    const again = await kubectl(['apply', '-n', 'shop', '-f', fixture('app-v1.yaml')]);
    // kubectl's three-way patch always re-sends a Secret's stringData (the live object only
    // has data), so it says "configured" on a real cluster too; the server changes nothing.
    expect(again.stdout.trim().split('\n')).toEqual([
      'configmap/web-config unchanged',
      'secret/web-secret configured',
      'deployment.apps/web unchanged',
      'service/web unchanged',
    ]);
    const secret = await json(['get', 'secret', 'web-secret', '-n', 'shop']);
    expect(secret.data).toEqual({ password: Buffer.from('s3cret').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    expect(secret.metadata.resourceVersion).toBe(secretBefore.metadata.resourceVersion);
    expect((await json(['get', 'deploy', 'web', '-n', 'shop'])).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    // v2 changes the web container's image, adds a sidecar and drops the metrics port.
    const changed = await kubectl(['apply', '-n', 'shop', '-f', fixture('app-v2.yaml')]);
    expect(changed.stdout).toContain('deployment.apps/web configured');
    const after = await json(['get', 'deploy', 'web', '-n', 'shop']);
    const containers = after.spec.template.spec.containers;
    expect(containers.map((c: any) => `${c.name}=${c.image}`)).toEqual([
      'web=nginx:1.27.1',
      'log-shipper=busybox:1.36',
    ]);
    expect(containers[0].ports.map((p: any) => p.containerPort)).toEqual([80]);
    // Defaults the server filled in stay: the merge is by container name, not a replacement.
    expect(containers[0].terminationMessagePath).toBe('/dev/termination-log');
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
  });

  it('apply --server-side creates, is a no-op when repeated, and reports conflicts', async () => {
    const r = await kubectl(['apply', '--server-side', '-f', fixture('ssa-configmap.yaml')]);
    expect(r.stdout.trim()).toBe('configmap/ssa-demo serverside-applied');
    const rv = (await json(['get', 'cm', 'ssa-demo'])).metadata.resourceVersion;
    await kubectl(['apply', '--server-side', '-f', fixture('ssa-configmap.yaml')]);
    expect((await json(['get', 'cm', 'ssa-demo'])).metadata.resourceVersion).toBe(rv);
    const conflict = await kubectl(
      [
        'apply',
        '--server-side',
        '--field-manager',
        'someone-else',
        '-f',
        fixture('ssa-configmap-other.yaml'),
      ],
      { allowFail: true },
    );
    expect(conflict.code).not.toBe(0);
    // Upstream names the apiVersion only for Update managers ("… using v1"), not for Apply ones.
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .data.color');
    const forced = await kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager',
      'someone-else',
      '-f',
      fixture('ssa-configmap-other.yaml'),
    ]);
    expect(forced.code).toBe(0);
    expect((await json(['get', 'cm', 'ssa-demo'])).data.color).toBe('green');
  });

  it('get -o yaml round-trips through replace without a change', async () => {
    await kubectl(['create', 'configmap', 'round', '--from-literal=a=1']);
    const yaml = (await kubectl(['get', 'cm', 'round', '-o', 'yaml'])).stdout;
    const rv = (await json(['get', 'cm', 'round'])).metadata.resourceVersion;
    const r = await kubectl(['replace', '-f', '-'], { input: yaml });
    expect(r.stdout.trim()).toBe('configmap/round replaced');
    expect((await json(['get', 'cm', 'round'])).metadata.resourceVersion).toBe(rv);
  });

  it('patch with strategic, merge and json patches', async () => {
    await kubectl(['apply', '-f', fixture('patch-deploy.yaml')]);
    await kubectl([
      'patch',
      'deploy',
      'patchme',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.28"}]}}}}',
    ]);
    let d = await json(['get', 'deploy', 'patchme']);
    expect(d.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual([
      'app=nginx:1.28',
      'helper=busybox:1.36',
    ]);
    await kubectl(['patch', 'deploy', 'patchme', '--type', 'merge', '-p', '{"spec":{"replicas":4}}']);
    await kubectl([
      'patch',
      'deploy',
      'patchme',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/minReadySeconds","value":5}]',
    ]);
    d = await json(['get', 'deploy', 'patchme']);
    expect([d.spec.replicas, d.spec.minReadySeconds]).toEqual([4, 5]);
    const bad = await kubectl(
      ['patch', 'deploy', 'patchme', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/nope"}]'],
      {
        allowFail: true,
      },
    );
    expect(bad.code).not.toBe(0);
  });

  it('label and annotate', async () => {
    await kubectl(['create', 'configmap', 'tagged']);
    await kubectl(['label', 'cm', 'tagged', 'tier=web']);
    await kubectl(['annotate', 'cm', 'tagged', 'owner=alice']);
    const { stdout } = await kubectl(['get', 'cm', '-l', 'tier=web', '--show-labels']);
    expect(stdout).toMatch(/^tagged\s+0\s+\S+\s+tier=web$/m);
    expect((await json(['get', 'cm', 'tagged'])).metadata.annotations).toEqual({ owner: 'alice' });
    await kubectl(['label', 'cm', 'tagged', 'tier-']);
    expect((await json(['get', 'cm', 'tagged'])).metadata.labels).toBeUndefined();
  });

  it('get -w prints changes as they happen', async () => {
    const child = spawn(bin, ['get', 'cm', '-w', '-n', 'default', '--output-watch-events'], {
      env: { ...process.env, KUBECONFIG: lab.kubeconfig, HOME: path.join(lab.dir, 'kubectl-home') },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    try {
      await waitFor(() => out.includes('kube-root-ca.crt'), 'the initial list');
      await kubectl(['create', 'configmap', 'watched', '-n', 'default']);
      await kubectl(['label', 'cm', 'watched', '-n', 'default', 'x=y']);
      await kubectl(['delete', 'cm', 'watched', '-n', 'default']);
      await waitFor(() => /DELETED\s+watched/.test(out), 'the DELETED event');
      expect(out).toMatch(/ADDED\s+watched/);
      expect(out).toMatch(/MODIFIED\s+watched/);
    } finally {
      child.kill();
    }
  });

  it('delete ns cascades to everything in it', async () => {
    await kubectl(['create', 'ns', 'doomed']);
    await kubectl(['create', 'configmap', 'c1', '-n', 'doomed']);
    await kubectl(['run', 'p1', '-n', 'doomed', '--image=nginx:1.27']);
    const r = await kubectl(['delete', 'ns', 'doomed', '--timeout=30s']);
    expect(r.stdout.trim()).toBe('namespace "doomed" deleted');
    const gone = await kubectl(['get', 'ns', 'doomed'], { allowFail: true });
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): namespaces "doomed" not found');
    const left = await kubectl(['get', 'cm,pods', '-n', 'doomed'], { allowFail: true });
    expect(left.stdout).not.toContain('c1');
  });

  it('a missing object prints upstream NotFound text', async () => {
    const r = await kubectl(['get', 'deploy', 'nope'], { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });

  it('an unknown field fails strict validation with upstream text', async () => {
    const r = await kubectl(['apply', '-f', fixture('typo-deploy.yaml')], { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `Error from server (BadRequest): error when creating "${fixture('typo-deploy.yaml')}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"`,
    );
  });

  it('a CRD serves its custom resources with printer columns', async () => {
    await kubectl(['apply', '-f', fixture('memcached-crd.yaml')]);
    await kubectl([
      'wait',
      '--for',
      'condition=established',
      '--timeout=30s',
      'crd/memcacheds.cache.example.com',
    ]);
    await kubectl(['apply', '-f', fixture('memcached.yaml')]);
    const { stdout } = await kubectl(['get', 'memcacheds']);
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+SIZE\s+AGE$/);
    expect(stdout).toMatch(/^cache\s+2\s+\S+$/m);
  });

  it('get all -A lists workloads and services with kind prefixes', async () => {
    const { stdout } = await kubectl(['get', 'all', '-A']);
    expect(stdout).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(stdout).toMatch(/^default\s+service\/kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+/m);
    // READY may exceed 2/2 while an earlier test's rollout still surges, as on a real cluster.
    expect(stdout).toMatch(/^shop\s+deployment\.apps\/web\s+\d\/2\s+\d\s+\d\s+/m);
  });

  it('explain pod.spec describes the field', async () => {
    const { stdout } = await kubectl(['explain', 'pod.spec']);
    expect(stdout).toMatch(/^KIND:\s+Pod$/m);
    expect(stdout).toMatch(/^VERSION:\s+v1$/m);
    expect(stdout).toMatch(/containers\s+<\[\]Container> -required-/);
  });
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
