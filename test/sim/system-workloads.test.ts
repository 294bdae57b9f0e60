import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/sim/log.js';
import { serveLab } from '../../src/sim/serve.js';
import { type Kubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { kubectlBin, skipReason, tableRows } from './kinds-core-support.js';

/** Whether a controller of this kind runs in the sim yet (others build them in parallel). */
const runs = (lab: TestLab, pattern: RegExp) => lab.sim.cluster.controllers.some((c) => pattern.test(c.name));

describe.skipIf(!!skipReason)("kind's system workloads on a fresh lab", () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  beforeAll(async () => {
    lab = await startTestLab();
    await lab.sim.cluster.settle();
    kubectl = kubectlFor(kubectlBin!, lab.kubeconfig);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('lists the pods kind runs in kubectl get pods -A', async () => {
    const { stdout } = await kubectl(['get', 'pods', '-A', '-o', 'wide']);
    const rows = tableRows(stdout);
    const names = rows.map((r) => `${r.NAMESPACE} ${r.NAME}`);
    const expected = [
      /^kube-system coredns-[a-z0-9]{8,10}-[a-z0-9]{5}$/,
      /^kube-system coredns-[a-z0-9]{8,10}-[a-z0-9]{5}$/,
      /^kube-system etcd-lab-control-plane$/,
      /^kube-system kube-apiserver-lab-control-plane$/,
      /^kube-system kube-controller-manager-lab-control-plane$/,
      /^kube-system kube-scheduler-lab-control-plane$/,
      /^local-path-storage local-path-provisioner-[a-z0-9]{8,10}-[a-z0-9]{5}$/,
    ];
    if (runs(lab, /daemon/i)) {
      for (let i = 0; i < 3; i++)
        expected.push(/^kube-system kindnet-[a-z0-9]{5}$/, /^kube-system kube-proxy-[a-z0-9]{5}$/);
    }
    expect(names).toHaveLength(expected.length);
    for (const re of expected) expect(names.some((n) => re.test(n))).toBe(true);
    const byName = new Map(rows.map((r) => [r.NAME, r]));
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      expect(byName.get(`${c}-lab-control-plane`)?.NODE).toBe('lab-control-plane');
    }
    if (runs(lab, /kubelet/i)) {
      // The kubelet starts them on the real clock: wait (bounded) for every one to run.
      const deadline = Date.now() + 30_000;
      let statuses: string[] = [];
      do {
        await lab.sim.cluster.settle();
        statuses = tableRows((await kubectl(['get', 'pods', '-A'])).stdout).map((r) => r.STATUS!);
        if (statuses.every((s) => s === 'Running')) break;
        await new Promise((r) => setTimeout(r, 100));
      } while (Date.now() < deadline);
      expect(statuses).toEqual(statuses.map(() => 'Running'));
    }
  });

  it('serves kube-dns at the tenth address of the service CIDR', async () => {
    const { stdout } = await kubectl(['get', 'svc', '-n', 'kube-system', '-o', 'wide']);
    expect(tableRows(stdout)).toEqual([
      {
        NAME: 'kube-dns',
        TYPE: 'ClusterIP',
        'CLUSTER-IP': '10.96.0.10',
        'EXTERNAL-IP': '<none>',
        'PORT(S)': '53/UDP,53/TCP,9153/TCP',
        AGE: expect.any(String),
        SELECTOR: 'k8s-app=kube-dns',
      },
    ]);
    const svc = JSON.parse(
      (await kubectl(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'json'])).stdout,
    );
    expect(svc.spec.ports.map((p: any) => p.name)).toEqual(['dns', 'dns-tcp', 'metrics']);
    expect(svc.metadata.labels).toEqual({
      'k8s-app': 'kube-dns',
      'kubernetes.io/cluster-service': 'true',
      'kubernetes.io/name': 'CoreDNS',
    });
  });

  it('runs CoreDNS as a two-replica Deployment configured by the coredns ConfigMap', async () => {
    const deploy = JSON.parse(
      (await kubectl(['get', 'deploy', 'coredns', '-n', 'kube-system', '-o', 'json'])).stdout,
    );
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.template.spec.containers[0]).toMatchObject({
      image: 'registry.k8s.io/coredns/coredns:v1.12.0',
      resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
    });
    expect(deploy.spec.template.spec.tolerations).toContainEqual({
      key: 'node-role.kubernetes.io/control-plane',
      effect: 'NoSchedule',
    });
    const { stdout } = await kubectl([
      'get',
      'cm',
      'coredns',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={.data.Corefile}',
    ]);
    expect(stdout).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa {');
    expect(stdout).toContain('forward . /etc/resolv.conf {');
  });

  it('installs kindnet and kube-proxy as DaemonSets, with the kube-proxy ConfigMap', async () => {
    const { stdout } = await kubectl(['get', 'ds', '-n', 'kube-system']);
    expect(tableRows(stdout).map((r) => r.NAME)).toEqual(['kindnet', 'kube-proxy']);
    if (runs(lab, /daemon/i)) {
      for (const r of tableRows(stdout)) expect(r.DESIRED).toBe('3');
    }
    const conf = await kubectl([
      'get',
      'cm',
      'kube-proxy',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={.data.config\\.conf}',
    ]);
    expect(conf.stdout).toMatch(/^mode: iptables$/m);
    expect(conf.stdout).toMatch(/^clusterCIDR: 10\.244\.0\.0\/16$/m);
  });

  it('shows the control plane as mirror pods owned by the node, recreated when deleted', async () => {
    const pod = JSON.parse(
      (await kubectl(['get', 'pod', 'etcd-lab-control-plane', '-n', 'kube-system', '-o', 'json'])).stdout,
    );
    expect(pod.metadata.annotations['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.metadata.annotations['kubernetes.io/config.source']).toBe('file');
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        apiVersion: 'v1',
        kind: 'Node',
        name: 'lab-control-plane',
        controller: true,
      }),
    ]);
    expect(pod.spec).toMatchObject({
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
    });
    const uidOf = async () =>
      (
        await kubectl([
          'get',
          'pod',
          'kube-scheduler-lab-control-plane',
          '-n',
          'kube-system',
          '-o',
          'jsonpath={.metadata.uid}',
        ])
      ).stdout;
    const uid = await uidOf();
    await kubectl(['delete', 'pod', 'kube-scheduler-lab-control-plane', '-n', 'kube-system']);
    await lab.sim.cluster.settle();
    const back = await uidOf();
    expect(back).toMatch(/^[0-9a-f-]{36}$/);
    expect(back).not.toBe(uid);
  });

  it("runs kind's local-path provisioner in local-path-storage", async () => {
    const { stdout } = await kubectl(['get', 'deploy,cm', '-n', 'local-path-storage']);
    expect(stdout).toMatch(/^deployment\.apps\/local-path-provisioner\s/m);
    expect(stdout).toMatch(/^configmap\/local-path-config\s/m);
  });

  it('does not bring deleted addons back when the sim restarts', async () => {
    await kubectl(['delete', 'deploy', 'coredns', '-n', 'kube-system']);
    await lab.sim.close();
    lab.sim = await serveLab(lab.dir, silentLogger, { noSync: true });
    kubectl = kubectlFor(kubectlBin!, lab.kubeconfig);
    await lab.sim.cluster.settle();
    const r = await kubectl(['get', 'deploy', 'coredns', '-n', 'kube-system'], { allowFail: true });
    expect(r.stderr).toContain('deployments.apps "coredns" not found');
    const svc = await kubectl([
      'get',
      'svc',
      'kube-dns',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={.spec.clusterIP}',
    ]);
    expect(svc.stdout).toBe('10.96.0.10');
    expect(fs.existsSync(lab.kubeconfig)).toBe(true);
  });
});
