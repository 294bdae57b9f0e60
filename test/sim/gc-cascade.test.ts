import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, skipWithoutKubectl, startWorkloadLab, type WorkloadLab } from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

describe.skipIf(!!skipWithoutKubectl)('garbage collection by ownerReferences', () => {
  let w: WorkloadLab;
  beforeAll(async () => {
    w = await startWorkloadLab();
  });
  afterAll(() => w?.stop());

  const names = async (kind: string, selector: string) =>
    json((await w.kubectl(['get', kind, '-l', selector, '-o', 'json'])).stdout).items;

  async function deployed(name: string, replicas = 2): Promise<void> {
    await w.kubectl(['create', 'deployment', name, '--image=nginx', `--replicas=${replicas}`]);
    await eventually(
      w,
      async () =>
        (await names('pods', `app=${name}`)).filter((p: any) => p.status.phase === 'Running').length ===
        replicas,
      {
        stepMs: 1000,
        what: `${name} running`,
      },
    );
  }

  it('kubectl delete deployment removes its ReplicaSets and pods (background)', async () => {
    await deployed('bg');
    expect(await names('rs', 'app=bg')).toHaveLength(1);
    await w.kubectl(['delete', 'deployment', 'bg']);
    await eventually(
      w,
      async () => (await names('rs', 'app=bg')).length === 0 && (await names('pods', 'app=bg')).length === 0,
      {
        stepMs: 1000,
        what: 'ReplicaSets and pods of bg gone',
      },
    );
  });

  it('--cascade=orphan keeps the ReplicaSets and pods, without the owner reference', async () => {
    await deployed('orph');
    await w.kubectl(['delete', 'deployment', 'orph', '--cascade=orphan']);
    await w.cluster.settle();
    expect((await w.kubectl(['get', 'deployment', 'orph'], { allowFail: true })).stderr).toContain(
      'NotFound',
    );
    const rss = await names('rs', 'app=orph');
    expect(rss).toHaveLength(1);
    expect(rss[0].metadata.ownerReferences).toBeUndefined();
    const pods = await names('pods', 'app=orph');
    expect(pods).toHaveLength(2);
    // The pods still belong to their ReplicaSet, which keeps them running.
    expect(pods.map((p: any) => p.metadata.ownerReferences[0].name)).toEqual([
      rss[0].metadata.name,
      rss[0].metadata.name,
    ]);
    await w.kubectl(['delete', 'pod', pods[0].metadata.name, '--wait=false']);
    await eventually(
      w,
      async () =>
        (await names('pods', 'app=orph')).filter((p: any) => !p.metadata.deletionTimestamp).length === 2,
      {
        stepMs: 1000,
        what: 'the orphaned ReplicaSet to replace its pod',
      },
    );
  });

  it('--cascade=foreground keeps the owner until its dependents are gone', async () => {
    await deployed('fg');
    const seen: string[][] = [];
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource === 'apps/deployments' && e.object.metadata.name === 'fg' && e.type !== 'DELETED') {
        seen.push(e.object.metadata.finalizers ?? []);
      }
    });
    const podsAtOwnerDeletion: number[] = [];
    const unsubscribe2 = w.cluster.store.subscribe((e) => {
      if (e.resource === 'apps/deployments' && e.object.metadata.name === 'fg' && e.type === 'DELETED') {
        podsAtOwnerDeletion.push(
          w.cluster.store.list('core/pods', 'default').filter((p) => p.metadata.labels?.app === 'fg').length,
        );
      }
    });
    try {
      const del = w.kubectl(['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=60s']);
      let done = false;
      void del.finally(() => {
        done = true;
      });
      await eventually(w, () => done, { stepMs: 1000, timeoutMs: 60_000, what: 'foreground deletion' });
      expect((await del).stdout).toContain('deployment.apps "fg" deleted');
    } finally {
      unsubscribe();
      unsubscribe2();
    }
    expect(seen.some((f) => f.includes('foregroundDeletion'))).toBe(true);
    expect(podsAtOwnerDeletion).toEqual([0]);
    expect(await names('rs', 'app=fg')).toHaveLength(0);
  });

  it('deletes an object whose owner does not exist, and keeps one with a live owner', async () => {
    const owner = json((await w.kubectl(['create', 'configmap', 'owner', '-o', 'json'])).stdout);
    const dependent = (name: string, uid: string, ownerName: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: ownerName, uid }] },
      });
    await w.kubectl(['create', '-f', '-'], { input: dependent('kept', owner.metadata.uid, 'owner') });
    await w.kubectl(['create', '-f', '-'], {
      input: dependent('dangling', '00000000-0000-0000-0000-000000000000', 'owner'),
    });
    await eventually(
      w,
      async () => (await w.kubectl(['get', 'configmap', 'dangling'], { allowFail: true })).code !== 0,
      {
        what: 'the dangling dependent to go',
      },
    );
    expect((await w.kubectl(['get', 'configmap', 'kept'])).stdout).toContain('kept');
    await w.kubectl(['delete', 'configmap', 'owner']);
    await eventually(
      w,
      async () => (await w.kubectl(['get', 'configmap', 'kept'], { allowFail: true })).code !== 0,
      {
        what: 'the dependent of the deleted owner to go',
      },
    );
  });

  it('an owner in another namespace is absent: the dependent goes and an event says why', async () => {
    await w.kubectl(['create', 'namespace', 'other']);
    const owner = json((await w.kubectl(['create', 'configmap', 'far', '-n', 'other', '-o', 'json'])).stdout);
    await w.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'near',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'far', uid: owner.metadata.uid }],
        },
      }),
    });
    await eventually(
      w,
      async () => (await w.kubectl(['get', 'configmap', 'near'], { allowFail: true })).code !== 0,
      {
        what: 'the cross-namespace dependent to go',
      },
    );
    const events = json(
      (
        await w.kubectl([
          'get',
          'events',
          '--field-selector',
          'reason=OwnerRefInvalidNamespace',
          '-o',
          'json',
        ])
      ).stdout,
    ).items;
    expect(events.map((e: any) => e.message)).toContain(
      `ownerRef [v1/ConfigMap, namespace: default, name: far, uid: ${owner.metadata.uid}] does not exist in namespace "default"`,
    );
  });

  it('a cluster-scoped owner takes its namespaced dependents with it', async () => {
    await w.kubectl(['create', 'clusterrole', 'gc-owner', '--verb=get', '--resource=pods']);
    const role = json((await w.kubectl(['get', 'clusterrole', 'gc-owner', '-o', 'json'])).stdout);
    await w.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'by-role',
          ownerReferences: [
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRole',
              name: 'gc-owner',
              uid: role.metadata.uid,
            },
          ],
        },
      }),
    });
    await w.cluster.settle();
    expect((await w.kubectl(['get', 'configmap', 'by-role'])).stdout).toContain('by-role');
    await w.kubectl(['delete', 'clusterrole', 'gc-owner']);
    await eventually(
      w,
      async () => (await w.kubectl(['get', 'configmap', 'by-role'], { allowFail: true })).code !== 0,
      {
        what: 'the dependent of the cluster-scoped owner to go',
      },
    );
  });
});
