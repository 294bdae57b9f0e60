import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/sim/store/types.js';
import { parseTable } from '../helpers/kubectl-table.js';
import { type KubeletLab, skipReason, startKubeletLab } from './kubelet-support.js';

/**
 * Endpoints driven by the simulated kubelet end to end: readiness comes from real readiness
 * probes (nginx answers on 80, nothing listens on 8080), on a virtual clock.
 */

const deployment = (name: string, probePort: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: 'shop' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'shop', track: name } },
    template: {
      metadata: { labels: { app: 'shop', track: name } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            readinessProbe: { httpGet: { path: '/', port: probePort }, periodSeconds: 2 },
          },
        ],
      },
    },
  },
});

const running = (pods: KubeObject[]) => pods.filter((p) => p.status?.podIP && !p.metadata.deletionTimestamp);

describe.skipIf(!!skipReason)('a Service over pods the kubelet runs', () => {
  let kl: KubeletLab;
  const pods = (track: string) =>
    kl.lab.sim.cluster.store.list('core/pods', 'default').filter((p) => p.metadata.labels?.track === track);
  const endpoints = async (ns: string, name: string) =>
    parseTable((await kl.k(['get', 'endpoints', name, '-n', ns])).stdout)[0]!.ENDPOINTS;
  const readyIPs = (track: string) =>
    running(pods(track))
      .filter((p) => p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
      .map((p) => p.status.podIP)
      .sort();

  beforeAll(async () => {
    kl = await startKubeletLab();
    await kl.apply(deployment('stable', 80));
    await kl.apply(deployment('broken', 8080));
    await kl.k(['create', 'service', 'clusterip', 'shop', '--tcp=80:80']);
    // `kubectl create service` selects app=<name>.
    await kl.until(
      () => readyIPs('stable').length === 2 && running(pods('broken')).length === 2,
      'pods running',
    );
    await kl.advance(10_000);
  });
  afterAll(() => kl?.stop());

  it('lists only the pods whose readiness probe passes', async () => {
    const ips = readyIPs('stable');
    expect(readyIPs('broken')).toEqual([]);
    const cell = await endpoints('default', 'shop');
    expect(cell.split(',').sort()).toEqual(ips.map((ip) => `${ip}:80`));
    const [slice] = JSON.parse(
      (await kl.k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=shop', '-o', 'json'])).stdout,
    ).items;
    const byIP = Object.fromEntries(slice.endpoints.map((e: any) => [e.addresses[0], e.conditions.ready]));
    for (const p of running(pods('broken'))) expect(byIP[p.status.podIP]).toBe(false);
    for (const ip of ips) expect(byIP[ip]).toBe(true);
    const rows = parseTable((await kl.k(['get', 'pods', '-l', 'track=broken'])).stdout);
    expect(rows.map((r) => r.READY)).toEqual(['0/1', '0/1']);
  });

  it('takes a deleted pod out at once and adds its replacement once it is ready', async () => {
    const victim = running(pods('stable'))[0]!;
    await kl.k(['delete', 'pod', victim.metadata.name!, '--wait=false']);
    await kl.lab.sim.cluster.settle();
    expect(await endpoints('default', 'shop')).not.toContain(`${victim.status.podIP}:`);
    await kl.until(() => readyIPs('stable').length === 2, 'replacement ready');
    const cell = await endpoints('default', 'shop');
    expect(cell.split(',').sort()).toEqual(readyIPs('stable').map((ip) => `${ip}:80`));
  });

  it('gives kube-dns the CoreDNS pods once they are ready', async () => {
    const coredns = () =>
      kl.lab.sim.cluster.store
        .list('core/pods', 'kube-system')
        .filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns' && p.status?.podIP);
    await kl.until(
      () =>
        coredns().length === 2 &&
        coredns().every((p) =>
          p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
        ),
      'CoreDNS ready',
    );
    const ips = coredns()
      .map((p) => p.status.podIP)
      .sort();
    const ep = JSON.parse(
      (await kl.k(['get', 'endpoints', 'kube-dns', '-n', 'kube-system', '-o', 'json'])).stdout,
    );
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets[0].addresses.map((a: any) => a.ip)).toEqual(ips);
    expect(ep.subsets[0].ports.map((p: any) => `${p.name}:${p.port}/${p.protocol}`).sort()).toEqual([
      'dns-tcp:53/TCP',
      'dns:53/UDP',
      'metrics:9153/TCP',
    ]);
  });
});
