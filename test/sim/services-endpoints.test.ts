import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, tableRows } from './kinds-core-support.js';
import { eventually, pinnedPodSpec, type ServicesLab, startServicesLab } from './services-support.js';

const deployment = (name: string, replicas: number, port: { name?: string; containerPort: number }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: pinnedPodSpec(port) },
  },
});

describe.skipIf(!!skipReason)('Endpoints and EndpointSlices of a Service', () => {
  let lab: ServicesLab;
  let ips: string[] = [];
  beforeAll(async () => {
    lab = await startServicesLab();
    await lab.write('apply', deployment('web', 3, { containerPort: 8080 }));
    const pods = await eventually(
      lab,
      async () => lab.pods('default', 'app=web'),
      (p) => p.length === 3,
    );
    ips = [];
    for (const [i, p] of pods.entries()) ips.push(await lab.setPodStatus('default', p.metadata.name!, i < 2));
    await lab.kubectl(['expose', 'deployment', 'web', '--port=80', '--target-port=8080']);
  });
  afterAll(() => lab?.lab.stop());

  const endpointsCell = async (svc: string) => {
    const { stdout } = await lab.kubectl(['get', 'endpoints', svc]);
    return tableRows(stdout)[0]?.ENDPOINTS;
  };

  it('lists only the Ready pods of a Deployment in kubectl get endpoints', async () => {
    const cell = await eventually(
      lab,
      () => endpointsCell('web'),
      (c) => c !== '<none>',
    );
    expect(cell).toBe(`${ips[0]}:8080,${ips[1]}:8080`);
    const ep = await lab.json(['endpoints', 'web']);
    expect(ep.metadata.labels).toEqual({
      app: 'web',
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    });
    expect(ep.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets[0].addresses.map((a: any) => a.ip)).toEqual([ips[0], ips[1]]);
    expect(ep.subsets[0].notReadyAddresses.map((a: any) => a.ip)).toEqual([ips[2]]);
    expect(ep.subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets[0].addresses[0]).toMatchObject({
      nodeName: 'lab-worker3',
      targetRef: { kind: 'Pod', namespace: 'default', name: expect.stringMatching(/^web-/) },
    });
  });

  it('keeps every pod in the EndpointSlice with its readiness', async () => {
    const { stdout } = await lab.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    const rows = tableRows(stdout);
    expect(rows).toEqual([
      {
        NAME: expect.stringMatching(/^web-[a-z0-9]{5}$/),
        ADDRESSTYPE: 'IPv4',
        PORTS: '8080',
        ENDPOINTS: ips.join(','),
        AGE: expect.any(String),
      },
    ]);
    const slice = await lab.json(['endpointslices', rows[0]!.NAME!]);
    expect(slice.metadata.labels).toEqual({
      app: 'web',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Service', name: 'web', controller: true, blockOwnerDeletion: true }),
    ]);
    expect(slice.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e: any) => [e.addresses[0], e.conditions])).toEqual([
      [ips[0], { ready: true, serving: true, terminating: false }],
      [ips[1], { ready: true, serving: true, terminating: false }],
      [ips[2], { ready: false, serving: false, terminating: false }],
    ]);
    expect(slice.endpoints[0]).toMatchObject({ nodeName: 'lab-worker3', targetRef: { kind: 'Pod' } });
  });

  it('shows the Ready endpoints on the Endpoints line of kubectl describe svc', async () => {
    const { stdout } = await lab.kubectl(['describe', 'svc', 'web']);
    expect(stdout).toMatch(new RegExp(`^Endpoints:\\s+${ips[0]}:8080,${ips[1]}:8080$`, 'm'));
  });

  it('follows pods becoming ready and unready', async () => {
    const pods = lab.pods('default', 'app=web');
    await lab.setPodStatus('default', pods[2]!.metadata.name!, true);
    await lab.setPodStatus('default', pods[0]!.metadata.name!, false);
    const cell = await eventually(
      lab,
      () => endpointsCell('web'),
      (c) => c === `${ips[1]}:8080,${ips[2]}:8080`,
    );
    expect(cell).toBe(`${ips[1]}:8080,${ips[2]}:8080`);
    const [slice] = (await lab.json(['endpointslices', '-l', 'kubernetes.io/service-name=web'])).items;
    expect(slice.endpoints.map((e: any) => e.conditions.ready)).toEqual([false, true, true]);
  });

  it('drops a deleted pod from the Endpoints and marks it terminating in the slice', async () => {
    const victim = lab.pods('default', 'app=web')[1]!;
    await lab.kubectl(['delete', 'pod', victim.metadata.name!, '--wait=false']);
    const cell = await eventually(
      lab,
      () => endpointsCell('web'),
      (c) => c === `${ips[2]}:8080`,
    );
    expect(cell).toBe(`${ips[2]}:8080`);
    const [slice] = (await lab.json(['endpointslices', '-l', 'kubernetes.io/service-name=web'])).items;
    const gone = slice.endpoints.find((e: any) => e.addresses[0] === ips[1]);
    expect(gone.conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it('puts a deleted Endpoints object back', async () => {
    await lab.kubectl(['delete', 'endpoints', 'web']);
    const cell = await eventually(
      lab,
      () => endpointsCell('web').catch(() => undefined),
      (c) => !!c,
    );
    expect(cell).toBe(`${ips[2]}:8080`);
  });

  it('gives a Service without ready pods an empty Endpoints and a placeholder slice', async () => {
    await lab.kubectl(['create', 'service', 'clusterip', 'nobody', '--tcp=80:8080']);
    await lab.settle();
    expect(await endpointsCell('nobody')).toBe('<none>');
    const { stdout } = await lab.kubectl([
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=nobody',
    ]);
    expect(tableRows(stdout)).toEqual([
      {
        NAME: expect.stringMatching(/^nobody-[a-z0-9]{5}$/),
        ADDRESSTYPE: 'IPv4',
        PORTS: '<unset>',
        ENDPOINTS: '<unset>',
        AGE: expect.any(String),
      },
    ]);
  });

  it('leaves the endpoints of a Service without a selector to the user', async () => {
    await lab.write('create', [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'external-db', namespace: 'default' },
        spec: { ports: [{ port: 5432 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'external-db', namespace: 'default' },
        subsets: [{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432 }] }],
      },
    ]);
    await lab.settle();
    expect(await endpointsCell('external-db')).toBe('192.168.1.50:5432');
    const ep = await lab.json(['endpoints', 'external-db']);
    expect(ep.metadata.labels).toBeUndefined();
    const slices = await lab.json(['endpointslices', '-l', 'kubernetes.io/service-name=external-db']);
    expect(
      slices.items.filter(
        (s: any) =>
          s.metadata.labels['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io',
      ),
    ).toEqual([]);
  });

  it('removes the Endpoints and slices of a deleted Service', async () => {
    await lab.kubectl(['delete', 'svc', 'web']);
    await lab.settle();
    const ep = await lab.kubectl(['get', 'endpoints', 'web'], { allowFail: true });
    expect(ep.stderr).toMatch(/endpoints "web" not found/);
    const slices = await lab.json(['endpointslices', '-l', 'kubernetes.io/service-name=web']);
    expect(slices.items).toEqual([]);
  });
});
