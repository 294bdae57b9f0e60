import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/sim/store/types.js';
import { eventually, skipWithoutKubectl, startWorkloadLab, type WorkloadLab } from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

describe.skipIf(!!skipWithoutKubectl)('Deployments through the real kubectl', () => {
  let w: WorkloadLab;
  beforeAll(async () => {
    w = await startWorkloadLab();
  });
  afterAll(() => w?.stop());

  const replicaSets = (d: string): KubeObject[] =>
    w.cluster.store
      .list('apps/replicasets', 'default')
      .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === d));
  const podsOf = (rs: KubeObject) =>
    w.cluster.store
      .list('core/pods', 'default')
      .filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
  const ready = (p: KubeObject) =>
    !p.metadata.deletionTimestamp &&
    (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

  /** Run `kubectl rollout status` while the clock moves on, and return what it printed. */
  async function rolloutStatus(target: string): Promise<string> {
    let printed = false;
    const status = w.kubectl(['rollout', 'status', target, '--timeout=60s'], {
      onStdout: () => {
        printed = true;
      },
    });
    let done = false;
    void status.finally(() => {
      done = true;
    });
    // kubectl takes real time to start and watch: hold the virtual clock until it has printed
    // its first line, so it sees the rollout's steps as a learner's kubectl would.
    const startWait = Date.now();
    while (!printed && !done && Date.now() - startWait < 30_000) await new Promise((r) => setTimeout(r, 20));
    await eventually(w, () => done, { stepMs: 1000, timeoutMs: 60_000, what: `rollout of ${target}` });
    return (await status).stdout;
  }

  it('creates web-<hash> ReplicaSet and pods, and rollout status succeeds', async () => {
    await w.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    const out = await rolloutStatus('deployment/web');
    expect(out.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');

    const [rs] = replicaSets('web');
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const pods = podsOf(rs!);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs!.metadata.name,
          uid: rs!.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }

    const table = (await w.kubectl(['get', 'deployment', 'web'])).stdout;
    expect(table).toMatch(/^web\s+3\/3\s+3\s+3\s+/m);
    const d = json((await w.kubectl(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    expect(d.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      [
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "web-${hash}" has successfully progressed.`,
      ],
    ]);
    const describe = (await w.kubectl(['describe', 'deployment', 'web'])).stdout;
    expect(describe).toContain(`Scaled up replica set web-${hash} from 0 to 3`);
    expect(describe).toMatch(/NewReplicaSet:\s+web-\w+ \(3\/3 replicas created\)/);
  });

  it('rolls out a new image step by step within maxSurge and maxUnavailable', async () => {
    // 3 replicas at 25%/25%: surge rounds up to 1, unavailable rounds down to 0.
    let maxTotal = 0;
    let maxPods = 0;
    let minAvailable = Number.POSITIVE_INFINITY;
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource !== 'apps/replicasets' && e.resource !== 'core/pods') return;
      const rss = replicaSets('web');
      maxTotal = Math.max(
        maxTotal,
        rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0),
      );
      const pods = rss.flatMap(podsOf).filter((p) => !p.metadata.deletionTimestamp);
      maxPods = Math.max(maxPods, pods.length);
      minAvailable = Math.min(minAvailable, pods.filter(ready).length);
    });
    try {
      await w.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
      const out = await rolloutStatus('deployment/web');
      // kubectl prints each step it sees, as on a real cluster.
      expect(out).toMatch(
        /^Waiting for deployment "web" rollout to finish: \d (out of 3 new replicas have been updated|old replicas are pending termination)\.\.\.$/m,
      );
      expect(out).toContain('deployment "web" successfully rolled out');
    } finally {
      unsubscribe();
    }
    expect(maxTotal).toBe(4);
    expect(maxPods).toBeLessThanOrEqual(4);
    expect(minAvailable).toBeGreaterThanOrEqual(3);

    const rss = replicaSets('web').sort(
      (a, b) =>
        Number(a.metadata.annotations!['deployment.kubernetes.io/revision']) -
        Number(b.metadata.annotations!['deployment.kubernetes.io/revision']),
    );
    expect(rss.map((rs) => [rs.spec.replicas, rs.spec.template.spec.containers[0].image])).toEqual([
      [0, 'nginx'],
      [3, 'nginx:1.27'],
    ]);
    const events = (
      await w.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'json'])
    ).stdout;
    const messages = json(events).items.map((e: any) => e.message);
    const [oldRS, newRS] = rss.map((rs) => rs.metadata.name);
    expect(messages).toContain(`Scaled up replica set ${newRS} from 0 to 1`);
    expect(messages).toContain(`Scaled down replica set ${oldRS} from 3 to 2`);
    expect(messages).toContain(`Scaled down replica set ${oldRS} from 1 to 0`);
  });

  it('lists revisions with their change-cause and undoes to the previous template', async () => {
    const history = (await w.kubectl(['rollout', 'history', 'deployment/web'])).stdout;
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const first = replicaSets('web').find(
      (rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision'] === '1',
    )!;

    await w.kubectl(['rollout', 'undo', 'deployment/web']);
    await rolloutStatus('deployment/web');
    const d = json((await w.kubectl(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    const current = replicaSets('web').find((rs) => rs.spec.replicas === 3)!;
    expect(current.metadata.name).toBe(first.metadata.name);
    expect(current.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect((await w.kubectl(['rollout', 'history', 'deployment/web'])).stdout).toMatch(
      /\n2\s+<none>\n3\s+<none>/,
    );

    await w.kubectl(['annotate', 'deployment/web', 'kubernetes.io/change-cause=pin nginx 1.26']);
    await w.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
    await rolloutStatus('deployment/web');
    expect((await w.kubectl(['rollout', 'history', 'deployment/web'])).stdout).toMatch(
      /\n4\s+pin nginx 1.26\n/,
    );
  });

  it('restarts and scales', async () => {
    const before = new Set(w.cluster.store.list('core/pods', 'default').map((p) => p.metadata.name));
    await w.kubectl(['rollout', 'restart', 'deployment/web']);
    await rolloutStatus('deployment/web');
    const d = json((await w.kubectl(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    const live = replicaSets('web')
      .flatMap(podsOf)
      .filter((p) => !p.metadata.deletionTimestamp);
    expect(live.some((p) => before.has(p.metadata.name))).toBe(false);

    await w.kubectl(['scale', 'deployment/web', '--replicas=5']);
    await rolloutStatus('deployment/web');
    expect((await w.kubectl(['get', 'deployment', 'web'])).stdout).toMatch(/^web\s+5\/5\s+5\s+5\s+/m);
    const newest = replicaSets('web').find((rs) => rs.spec.replicas > 0)!;
    expect(newest.spec.replicas).toBe(5);
    expect(newest.metadata.annotations!['deployment.kubernetes.io/desired-replicas']).toBe('5');
  });

  it('pauses and resumes a rollout', async () => {
    await w.kubectl(['rollout', 'pause', 'deployment/web']);
    await w.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.28']);
    await w.cluster.settle();
    const paused = json((await w.kubectl(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(paused.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    expect(replicaSets('web').some((rs) => rs.spec.template.spec.containers[0].image === 'nginx:1.28')).toBe(
      false,
    );
    await w.kubectl(['rollout', 'resume', 'deployment/web']);
    await rolloutStatus('deployment/web');
    expect(
      replicaSets('web').find((rs) => rs.spec.replicas === 5)!.spec.template.spec.containers[0].image,
    ).toBe('nginx:1.28');
  });

  it('recreates: old pods are gone before new ones start', async () => {
    await w.kubectl(['create', 'deployment', 'rec', '--image=nginx', '--replicas=2']);
    await w.kubectl([
      'patch',
      'deployment/rec',
      '-p',
      '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}',
    ]);
    await rolloutStatus('deployment/rec');
    let overlap = false;
    const unsubscribe = w.cluster.store.subscribe((e) => {
      if (e.resource !== 'core/pods') return;
      // As upstream's oldPodsRunning: an old pod that has finished (Succeeded/Failed) no longer
      // runs, even while its object waits to be removed.
      const images = new Set(
        replicaSets('rec')
          .flatMap(podsOf)
          .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
          .map((p) => p.spec.containers[0].image),
      );
      if (images.size > 1) overlap = true;
    });
    try {
      await w.kubectl(['set', 'image', 'deployment/rec', 'nginx=nginx:1.27']);
      await rolloutStatus('deployment/rec');
    } finally {
      unsubscribe();
    }
    expect(overlap).toBe(false);
    expect(
      replicaSets('rec').find((rs) => rs.spec.replicas === 2)!.spec.template.spec.containers[0].image,
    ).toBe('nginx:1.27');
  });

  it('reports a rollout that cannot progress once its deadline passes', async () => {
    await w.kubectl(['create', 'deployment', 'stuck', '--image=nginx', '--replicas=1']);
    await rolloutStatus('deployment/stuck');
    await w.kubectl(['patch', 'deployment/stuck', '-p', '{"spec":{"progressDeadlineSeconds":30}}']);
    // A quota-free way to block the new pods: a node selector no node has.
    await w.kubectl([
      'patch',
      'deployment/stuck',
      '-p',
      '{"spec":{"template":{"spec":{"nodeSelector":{"disk":"none"}}}}}',
    ]);
    await eventually(
      w,
      async () => {
        const d = json((await w.kubectl(['get', 'deployment', 'stuck', '-o', 'json'])).stdout);
        return d.status.conditions?.some((c: any) => c.reason === 'ProgressDeadlineExceeded');
      },
      { stepMs: 5000, what: 'ProgressDeadlineExceeded' },
    );
    const r = await w.kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=10s'], {
      allowFail: true,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: deployment "stuck" exceeded its progress deadline');
  });
});
