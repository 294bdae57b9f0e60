import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, tableRows } from './kinds-core-support.js';
import { eventually, type ServicesLab, startServicesLab, TEST_NODE } from './services-support.js';

const pod = (name: string, labels: Record<string, string>, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName: TEST_NODE, ...spec },
});
const container = (ports: unknown[]) => [{ name: 'app', image: 'nginx:1.27', ports }];

describe.skipIf(!!skipReason)('Service ports and headless Services', () => {
  let lab: ServicesLab;
  const ip: Record<string, string> = {};
  beforeAll(async () => {
    lab = await startServicesLab();
    await lab.write('create', [
      // Same port name, different numbers: each pod is reached on its own port.
      pod('api-a', { app: 'api' }, { containers: container([{ name: 'http', containerPort: 8080 }]) }),
      pod('api-b', { app: 'api' }, { containers: container([{ name: 'http', containerPort: 9090 }]) }),
      // No port called http: left out of that Service port.
      pod('api-c', { app: 'api' }, { containers: container([{ name: 'admin', containerPort: 7070 }]) }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'api', namespace: 'default' },
        spec: { selector: { app: 'api' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
      },
      // What a StatefulSet's pods look like: hostname and subdomain naming the governing Service.
      pod(
        'db-0',
        { app: 'db' },
        { hostname: 'db-0', subdomain: 'db', containers: container([{ containerPort: 5432 }]) },
      ),
      pod(
        'db-1',
        { app: 'db' },
        { hostname: 'db-1', subdomain: 'db', containers: container([{ containerPort: 5432 }]) },
      ),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'db', namespace: 'default' },
        spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'db-all', namespace: 'default' },
        spec: {
          clusterIP: 'None',
          publishNotReadyAddresses: true,
          selector: { app: 'db' },
          ports: [{ port: 5432 }],
        },
      },
    ]);
    for (const name of ['api-a', 'api-b', 'api-c', 'db-0'])
      ip[name] = await lab.setPodStatus('default', name, true);
    ip['db-1'] = await lab.setPodStatus('default', 'db-1', false);
  });
  afterAll(() => lab?.lab.stop());

  it('resolves a named targetPort on each pod and leaves out pods without that port', async () => {
    const { stdout } = await eventually(
      lab,
      () => lab.kubectl(['get', 'endpoints', 'api']),
      (r) => tableRows(r.stdout)[0]?.ENDPOINTS !== '<none>',
    );
    expect(tableRows(stdout)[0]!.ENDPOINTS).toBe(`${ip['api-a']}:8080,${ip['api-b']}:9090`);
    const ep = await lab.json(['endpoints', 'api']);
    expect(ep.subsets).toEqual([
      {
        addresses: [expect.objectContaining({ ip: ip['api-a'] })],
        ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
      },
      {
        addresses: [expect.objectContaining({ ip: ip['api-b'] })],
        ports: [{ name: 'web', port: 9090, protocol: 'TCP' }],
      },
    ]);
  });

  it('splits the EndpointSlices by the ports each pod resolves', async () => {
    const { stdout } = await lab.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=api']);
    const rows = tableRows(stdout).map((r) => [r.PORTS, r.ENDPOINTS]);
    expect(rows.sort()).toEqual(
      [
        ['8080', ip['api-a']],
        ['9090', ip['api-b']],
        ['<unset>', ip['api-c']],
      ].sort(),
    );
  });

  it('gives a headless Service the hostnames of StatefulSet-style pods', async () => {
    const { stdout } = await lab.kubectl(['get', 'svc', 'db']);
    expect(tableRows(stdout)[0]).toMatchObject({ NAME: 'db', 'CLUSTER-IP': 'None', 'PORT(S)': '5432/TCP' });
    const ep = await lab.json(['endpoints', 'db']);
    expect(ep.metadata.labels).toEqual({
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
      'service.kubernetes.io/headless': '',
    });
    expect(ep.subsets).toEqual([
      {
        addresses: [expect.objectContaining({ ip: ip['db-0'], hostname: 'db-0' })],
        notReadyAddresses: [expect.objectContaining({ ip: ip['db-1'], hostname: 'db-1' })],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ]);
    const [slice] = (await lab.json(['endpointslices', '-l', 'kubernetes.io/service-name=db'])).items;
    expect(slice.metadata.labels['service.kubernetes.io/headless']).toBe('');
    expect(slice.endpoints.map((e: any) => [e.hostname, e.conditions.ready])).toEqual([
      ['db-0', true],
      ['db-1', false],
    ]);
  });

  it('publishes not-ready pods as ready when publishNotReadyAddresses is set', async () => {
    const { stdout } = await lab.kubectl(['get', 'endpoints', 'db-all']);
    expect(tableRows(stdout)[0]!.ENDPOINTS).toBe(`${ip['db-0']}:5432,${ip['db-1']}:5432`);
    const [slice] = (await lab.json(['endpointslices', '-l', 'kubernetes.io/service-name=db-all'])).items;
    expect(slice.endpoints.map((e: any) => e.conditions)).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: false, terminating: false },
    ]);
    // db-all is not the pods' subdomain, so no hostnames.
    expect(slice.endpoints.some((e: any) => 'hostname' in e)).toBe(false);
  });

  it('follows a pod whose labels stop matching', async () => {
    await lab.kubectl(['label', 'pod', 'api-a', 'app=other', '--overwrite']);
    const { stdout } = await eventually(
      lab,
      () => lab.kubectl(['get', 'endpoints', 'api']),
      (r) => tableRows(r.stdout)[0]?.ENDPOINTS === `${ip['api-b']}:9090`,
    );
    expect(tableRows(stdout)[0]!.ENDPOINTS).toBe(`${ip['api-b']}:9090`);
  });
});
