import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, tableRows } from './kinds-core-support.js';
import { type ServicesLab, startServicesLab, TEST_NODE } from './services-support.js';

const NS = 'team-a';
const pod = (name: string, resources: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources }], ...extra },
});
const mem = (request: string, limit: string) => ({
  requests: { memory: request },
  limits: { memory: limit },
});

/** kubectl describe quota's Resource/Used/Hard table, as rows. */
function describeRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^Resource\s+Used\s+Hard$/.test(l));
  return lines
    .slice(start + 2)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));
}

describe.skipIf(!!skipReason)('ResourceQuota admission and status', () => {
  let core: ServicesLab;
  const settle = () => core.settle();
  beforeAll(async () => {
    core = await startServicesLab();
    await core.kubectl(['create', 'namespace', NS]);
    await core.kubectl([
      'create',
      'quota',
      'compute',
      '-n',
      NS,
      '--hard=requests.memory=2Gi,limits.memory=4Gi,pods=3',
    ]);
    await settle();
  });
  afterAll(() => core?.lab.stop());

  it('starts a new quota with zero used in kubectl describe quota', async () => {
    const { stdout } = await core.kubectl(['describe', 'quota', 'compute', '-n', NS]);
    expect(stdout).toMatch(/^Name:\s+compute$/m);
    expect(describeRows(stdout)).toEqual([
      ['limits.memory', '0', '4Gi'],
      ['pods', '0', '3'],
      ['requests.memory', '0', '2Gi'],
    ]);
  });

  it("refuses a create that would exceed the quota with upstream's message", async () => {
    await core.write('create', pod('a', mem('1Gi', '2Gi')));
    const r = await core.write('create', pod('b', mem('2Gi', '2Gi')), true);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "b" is forbidden: exceeded quota: compute, requested: requests.memory=2Gi, used: requests.memory=1Gi, limited: requests.memory=2Gi',
    );
    const both = await core.write('create', pod('c', mem('2Gi', '3Gi')), true);
    expect(both.stderr).toContain(
      'exceeded quota: compute, requested: limits.memory=3Gi,requests.memory=2Gi, used: limits.memory=2Gi,requests.memory=1Gi, limited: limits.memory=4Gi,requests.memory=2Gi',
    );
  });

  it('requires the requests and limits the quota names', async () => {
    const r = await core.kubectl(['run', 'bare', '-n', NS, '--image=nginx:1.27'], { allowFail: true });
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: bare; requests.memory for: bare',
    );
  });

  it('shows used against hard in kubectl get quota and describe quota', async () => {
    await settle();
    const { stdout } = await core.kubectl(['get', 'quota', '-n', NS]);
    expect(tableRows(stdout)).toEqual([
      {
        NAME: 'compute',
        REQUEST: 'pods: 1/3, requests.memory: 1Gi/2Gi',
        LIMIT: 'limits.memory: 2Gi/4Gi',
        AGE: expect.any(String),
      },
    ]);
    const described = await core.kubectl(['describe', 'quota', 'compute', '-n', NS]);
    expect(describeRows(described.stdout)).toEqual([
      ['limits.memory', '2Gi', '4Gi'],
      ['pods', '1', '3'],
      ['requests.memory', '1Gi', '2Gi'],
    ]);
  });

  it('gives the quota back when a pod goes, so the refused pod now fits', async () => {
    await core.kubectl(['delete', 'pod', 'a', '-n', NS, '--grace-period=0', '--force']);
    await settle();
    const quota = await core.json(['quota', 'compute', '-n', NS]);
    expect(quota.status.used).toEqual({ 'limits.memory': '0', pods: '0', 'requests.memory': '0' });
    await core.write('create', pod('b', mem('2Gi', '2Gi')));
    await settle();
    expect((await core.json(['quota', 'compute', '-n', NS])).status.used).toEqual({
      'limits.memory': '2Gi',
      pods: '1',
      'requests.memory': '2Gi',
    });
  });

  it('stops counting a pod that has finished', async () => {
    await core.kubectl(['delete', 'pod', 'b', '-n', NS, '--grace-period=0', '--force']);
    // On a node whose kubelet the test plays, so the test decides when the pod finishes.
    await core.write(
      'create',
      pod('job', mem('1Gi', '1Gi'), { nodeName: TEST_NODE, restartPolicy: 'Never' }),
    );
    await settle();
    expect((await core.json(['quota', 'compute', '-n', NS])).status.used).toMatchObject({ pods: '1' });
    const client = core.lab.sim.cluster.context.client('kubelet').resource('', 'pods');
    const job = client.get(NS, 'job')!;
    await client.update({ ...job, status: { ...job.status, phase: 'Succeeded' } }, 'status');
    await settle();
    expect((await core.json(['quota', 'compute', '-n', NS])).status.used).toEqual({
      'limits.memory': '0',
      pods: '0',
      'requests.memory': '0',
    });
  });

  it('counts objects of any kind with count/<resource>.<group>', async () => {
    await core.kubectl([
      'create',
      'quota',
      'objects',
      '-n',
      NS,
      '--hard=count/deployments.apps=1,services=1',
    ]);
    await settle();
    await core.kubectl(['create', 'deployment', 'd1', '-n', NS, '--image=nginx:1.27', '--replicas=0']);
    const r = await core.kubectl(
      ['create', 'deployment', 'd2', '-n', NS, '--image=nginx:1.27', '--replicas=0'],
      {
        allowFail: true,
      },
    );
    expect(r.stderr.trim()).toBe(
      'error: failed to create deployment: deployments.apps "d2" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
    await core.kubectl(['create', 'service', 'clusterip', 's1', '-n', NS, '--tcp=80']);
    const s2 = await core.kubectl(['create', 'service', 'clusterip', 's2', '-n', NS, '--tcp=80'], {
      allowFail: true,
    });
    expect(s2.stderr).toContain(
      'services "s2" is forbidden: exceeded quota: objects, requested: services=1, used: services=1, limited: services=1',
    );
    await settle();
    const { stdout } = await core.kubectl(['get', 'quota', 'objects', '-n', NS]);
    expect(tableRows(stdout)[0]).toMatchObject({ REQUEST: 'count/deployments.apps: 1/1, services: 1/1' });
  });

  it('limits claims by count and requested storage', async () => {
    await core.kubectl([
      'create',
      'quota',
      'storage',
      '-n',
      NS,
      '--hard=persistentvolumeclaims=2,requests.storage=3Gi',
    ]);
    await settle();
    const claim = (name: string, size: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: NS },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    });
    await core.write('create', claim('data', '2Gi'));
    const r = await core.write('create', claim('more', '2Gi'), true);
    expect(r.stderr).toContain(
      'persistentvolumeclaims "more" is forbidden: exceeded quota: storage, requested: requests.storage=2Gi, used: requests.storage=2Gi, limited: requests.storage=3Gi',
    );
  });

  it('charges only the pods in a quota scope', async () => {
    await core.kubectl(['create', 'namespace', 'scoped']);
    await core.kubectl([
      'create',
      'quota',
      'besteffort',
      '-n',
      'scoped',
      '--hard=pods=1',
      '--scopes=BestEffort',
    ]);
    await settle();
    const inScoped = (name: string, resources: Record<string, unknown>) => ({
      ...pod(name, resources),
      metadata: { name, namespace: 'scoped' },
    });
    await core.write('create', inScoped('be-1', {}));
    const r = await core.write('create', inScoped('be-2', {}), true);
    expect(r.stderr).toContain(
      'pods "be-2" is forbidden: exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1',
    );
    await core.write('create', inScoped('burstable', { requests: { cpu: '100m' } }));
    await settle();
    const { stdout } = await core.kubectl(['describe', 'quota', 'besteffort', '-n', 'scoped']);
    expect(stdout).toMatch(/^Scopes:\s+BestEffort$/m);
    expect(describeRows(stdout)).toEqual([['pods', '1', '1']]);
  });

  it('reports the pods a ReplicaSet cannot create over quota', async () => {
    await core.write('create', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'big', namespace: NS },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'big' } },
        template: {
          metadata: { labels: { app: 'big' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: mem('1Gi', '1Gi') }] },
        },
      },
    });
    await settle();
    const { stdout } = await core.kubectl([
      'get',
      'events',
      '-n',
      NS,
      '--field-selector',
      'reason=FailedCreate',
    ]);
    expect(stdout).toMatch(
      /Error creating: pods "big-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: requests\.memory=1Gi, used: requests\.memory=2Gi, limited: requests\.memory=2Gi/,
    );
    expect(
      core.lab.sim.cluster.store.list('core/pods', NS).filter((p) => p.metadata.name!.startsWith('big-')),
    ).toHaveLength(2);
  });
});
