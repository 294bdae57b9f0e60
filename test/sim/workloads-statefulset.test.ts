import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, skipWithoutKubectl, startWorkloadLab, type WorkloadLab } from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

const manifest = (image: string, extra = '') => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        volumeMounts: [{name: data, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
${extra}`;

describe.skipIf(!!skipWithoutKubectl)('StatefulSets through the real kubectl', () => {
  let w: WorkloadLab;
  beforeAll(async () => {
    w = await startWorkloadLab();
  });
  afterAll(() => w?.stop());

  const pods = () =>
    w.cluster.store
      .list('core/pods', 'default')
      .filter((p) => p.metadata.labels?.app === 'db')
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const isReady = (p: any) =>
    (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

  async function rolloutStatus(): Promise<string> {
    const status = w.kubectl(['rollout', 'status', 'statefulset/web', '--timeout=60s']);
    let done = false;
    void status.finally(() => {
      done = true;
    });
    await eventually(w, () => done, { stepMs: 1000, timeoutMs: 60_000, what: 'statefulset rollout' });
    return (await status).stdout;
  }

  it('starts web-0..2 in order, each after the previous one is Ready, with data-web-N claims', async () => {
    // For each pod: how many lower ordinals were Ready when it was created.
    const readyBefore: Record<string, number> = {};
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource !== 'core/pods' || e.type !== 'ADDED' || e.object.metadata.labels?.app !== 'db') return;
      const ordinal = Number(e.object.metadata.name!.split('-')[1]);
      readyBefore[e.object.metadata.name!] = pods().filter(
        (p) => Number(p.metadata.name!.split('-')[1]) < ordinal && isReady(p),
      ).length;
    });
    try {
      await w.kubectl(['apply', '-f', '-'], { input: manifest('nginx') });
      await rolloutStatus();
    } finally {
      unsubscribe();
    }
    expect(readyBefore).toEqual({ 'web-0': 0, 'web-1': 1, 'web-2': 2 });

    const list = pods();
    expect(list.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1', 'web-2']);
    const revision = json((await w.kubectl(['get', 'sts', 'web', '-o', 'json'])).stdout).status
      .updateRevision;
    expect(revision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    for (const [i, p] of list.entries()) {
      expect(p.metadata.labels).toMatchObject({
        'statefulset.kubernetes.io/pod-name': `web-${i}`,
        'apps.kubernetes.io/pod-index': String(i),
        'controller-revision-hash': revision,
      });
      expect(p.spec.hostname).toBe(`web-${i}`);
      expect(p.spec.subdomain).toBe('web');
      expect(p.spec.volumes[0]).toEqual({
        name: 'data',
        persistentVolumeClaim: { claimName: `data-web-${i}` },
      });
    }
    const claims = json((await w.kubectl(['get', 'pvc', '-o', 'json'])).stdout).items;
    expect(claims.map((c: any) => [c.metadata.name, c.metadata.labels])).toEqual([
      ['data-web-0', { app: 'db' }],
      ['data-web-1', { app: 'db' }],
      ['data-web-2', { app: 'db' }],
    ]);
    const events = json(
      (
        await w.kubectl([
          'get',
          'events',
          '--field-selector',
          'involvedObject.kind=StatefulSet',
          '-o',
          'json',
        ])
      ).stdout,
    ).items.map((e: any) => e.message);
    expect(events).toContain('create Claim data-web-0 Pod web-0 in StatefulSet web success');
    expect(events).toContain('create Pod web-2 in StatefulSet web successful');
    const sts = json((await w.kubectl(['get', 'sts', 'web', '-o', 'json'])).stdout);
    expect(sts.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      currentRevision: revision,
    });
    expect((await w.kubectl(['get', 'sts', 'web'])).stdout).toMatch(/^web\s+3\/3\s+/m);
  });

  it('rolls a new template from the highest ordinal down and keeps its revisions', async () => {
    const order: string[] = [];
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource === 'core/pods' && e.type === 'DELETED' && e.object.metadata.labels?.app === 'db')
        order.push(e.object.metadata.name!);
    });
    try {
      await w.kubectl(['set', 'image', 'statefulset/web', 'nginx=nginx:1.27']);
      const out = await rolloutStatus();
      expect(out).toContain('partitioned roll out complete: 3 new pods have been updated...');
    } finally {
      unsubscribe();
    }
    expect(order).toEqual(['web-2', 'web-1', 'web-0']);
    expect(pods().map((p) => p.spec.containers[0].image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    const sts = json((await w.kubectl(['get', 'sts', 'web', '-o', 'json'])).stdout);
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
    expect((await w.kubectl(['rollout', 'history', 'statefulset/web'])).stdout).toMatch(
      /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
    );

    await w.kubectl(['rollout', 'undo', 'statefulset/web']);
    await rolloutStatus();
    expect(pods().map((p) => p.spec.containers[0].image)).toEqual(['nginx', 'nginx', 'nginx']);
    const revisions = json((await w.kubectl(['get', 'controllerrevisions', '-o', 'json'])).stdout).items.map(
      (r: any) => r.revision,
    );
    expect(revisions.sort()).toEqual([2, 3]);
  });

  it('a partition keeps the ordinals below it on the old revision', async () => {
    await w.kubectl([
      'patch',
      'statefulset/web',
      '-p',
      '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}',
    ]);
    await w.kubectl(['set', 'image', 'statefulset/web', 'nginx=nginx:1.28']);
    await eventually(w, () => pods()[2]?.spec.containers[0].image === 'nginx:1.28' && isReady(pods()[2]), {
      stepMs: 1000,
      what: 'web-2 updated',
    });
    await w.cluster.settle();
    expect(pods().map((p) => p.spec.containers[0].image)).toEqual(['nginx', 'nginx', 'nginx:1.28']);
    expect(await rolloutStatus()).toContain('partitioned roll out complete: 1 new pods have been updated...');
  });

  it('scales down from the highest ordinal and keeps the claims', async () => {
    await w.kubectl(['scale', 'statefulset/web', '--replicas=1']);
    await eventually(w, () => pods().length === 1, { stepMs: 1000, what: 'scale down to 1' });
    expect(pods().map((p) => p.metadata.name)).toEqual(['web-0']);
    const claims = json((await w.kubectl(['get', 'pvc', '-o', 'json'])).stdout).items.map(
      (c: any) => c.metadata.name,
    );
    expect(claims).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
  });

  it('Parallel pods and whenDeleted: Delete claims go with the set', async () => {
    await w.kubectl(['apply', '-f', '-'], {
      input: manifest(
        'nginx',
        '  podManagementPolicy: Parallel\n  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}',
      )
        .replaceAll('name: web}', 'name: par}')
        .replaceAll('app: db', 'app: par'),
    });
    await eventually(
      w,
      () =>
        w.cluster.store.list('core/pods', 'default').filter((p) => p.metadata.labels?.app === 'par')
          .length === 3,
      {
        what: 'three parallel pods',
      },
    );
    const claim = json((await w.kubectl(['get', 'pvc', 'data-par-0', '-o', 'json'])).stdout);
    expect(claim.metadata.ownerReferences).toEqual([
      expect.objectContaining({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'par' }),
    ]);
    await w.kubectl(['delete', 'statefulset', 'par']);
    await eventually(
      w,
      async () => !(await w.kubectl(['get', 'pvc', '-o', 'name'])).stdout.includes('data-par-'),
      {
        stepMs: 1000,
        what: 'claims of par to go',
      },
    );
  });
});
