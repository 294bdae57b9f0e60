import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, skipWithoutKubectl, startWorkloadLab, type WorkloadLab } from './workloads-support.js';

const json = (s: string) => JSON.parse(s);

const replicaSet = (name: string, app: string, replicas: number, ns = 'default') => `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers: [{name: web, image: nginx}]
`;

const barePod = (name: string, app: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${app}}}
spec:
${extra}  containers: [{name: web, image: nginx}]
`;

describe.skipIf(!!skipWithoutKubectl)(
  'ReplicaSets and ReplicationControllers through the real kubectl',
  () => {
    let w: WorkloadLab;
    beforeAll(async () => {
      w = await startWorkloadLab();
    });
    afterAll(() => w?.stop());

    const live = (app: string, ns = 'default') =>
      w.cluster.store
        .list('core/pods', ns)
        .filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);

    it('keeps replicas running, named <rs>-<5 chars>, and replaces a deleted pod', async () => {
      await w.kubectl(['apply', '-f', '-'], { input: replicaSet('fe', 'fe', 3) });
      await eventually(w, () => live('fe').filter((p) => p.status?.phase === 'Running').length === 3, {
        stepMs: 1000,
        what: '3 running',
      });
      const rs = json((await w.kubectl(['get', 'rs', 'fe', '-o', 'json'])).stdout);
      expect(rs.status).toMatchObject({
        replicas: 3,
        fullyLabeledReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        observedGeneration: 1,
      });
      expect((await w.kubectl(['get', 'rs', 'fe'])).stdout).toMatch(/^fe\s+3\s+3\s+3\s+/m);
      const victim = live('fe')[0]!.metadata.name!;
      expect(victim).toMatch(/^fe-[a-z0-9]{5}$/);
      await w.kubectl(['delete', 'pod', victim, '--wait=false']);
      await eventually(
        w,
        () => live('fe').length === 3 && !live('fe').some((p) => p.metadata.name === victim),
        {
          stepMs: 1000,
          what: 'a replacement',
        },
      );
      const events = json(
        (await w.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=fe', '-o', 'json']))
          .stdout,
      ).items;
      expect(
        events.filter((e: any) => e.reason === 'SuccessfulCreate').map((e: any) => e.source.component),
      ).toEqual(Array(4).fill('replicaset-controller'));
    });

    it('adopts a matching orphan pod and releases a pod relabelled away', async () => {
      await w.kubectl(['apply', '-f', '-'], { input: barePod('stray', 'adopt') });
      await w.kubectl(['apply', '-f', '-'], { input: replicaSet('adopter', 'adopt', 2) });
      await eventually(w, () => live('adopt').length === 2, { stepMs: 1000, what: 'two pods' });
      await w.cluster.settle();
      const stray = json((await w.kubectl(['get', 'pod', 'stray', '-o', 'json'])).stdout);
      expect(stray.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ReplicaSet', name: 'adopter', controller: true }),
      ]);
      expect(live('adopt')).toHaveLength(2);

      await w.kubectl(['label', 'pod', 'stray', 'app=gone', '--overwrite']);
      await eventually(
        w,
        () => live('adopt').length === 2 && !live('adopt').some((p) => p.metadata.name === 'stray'),
        {
          stepMs: 1000,
          what: 'a replacement for the released pod',
        },
      );
      const released = json((await w.kubectl(['get', 'pod', 'stray', '-o', 'json'])).stdout);
      expect(released.metadata.ownerReferences).toBeUndefined();
    });

    it('scales down the pod that is not running first', async () => {
      // An adopted pod no node can take stays Pending: it is the one to go.
      await w.kubectl(['apply', '-f', '-'], {
        input: barePod('stuck', 'rank', '  nodeSelector: {disk: none}\n'),
      });
      await w.kubectl(['apply', '-f', '-'], { input: replicaSet('ranked', 'rank', 3) });
      await eventually(w, () => live('rank').filter((p) => p.status?.phase === 'Running').length === 2, {
        stepMs: 1000,
        what: 'two running',
      });
      await w.kubectl(['scale', 'rs/ranked', '--replicas=2']);
      await eventually(w, () => live('rank').length === 2, { stepMs: 1000, what: 'scale down' });
      expect(live('rank').map((p) => p.metadata.name)).not.toContain('stuck');
    });

    it('reports ReplicaFailure when a quota forbids its pods', async () => {
      await w.kubectl(['create', 'namespace', 'tight']);
      await w.kubectl(['create', 'quota', 'pods', '--hard=pods=1', '-n', 'tight']);
      await w.kubectl(['apply', '-f', '-'], { input: replicaSet('big', 'big', 3, 'tight') });
      const failing = await eventually(
        w,
        async () => {
          const rs = json((await w.kubectl(['get', 'rs', 'big', '-n', 'tight', '-o', 'json'])).stdout);
          return rs.status.conditions?.find((c: any) => c.type === 'ReplicaFailure');
        },
        { stepMs: 1000, what: 'ReplicaFailure' },
      );
      expect(failing).toMatchObject({ status: 'True', reason: 'FailedCreate' });
      expect(failing.message).toContain('exceeded quota');
      const events = json(
        (
          await w.kubectl([
            'get',
            'events',
            '-n',
            'tight',
            '--field-selector',
            'reason=FailedCreate',
            '-o',
            'json',
          ])
        ).stdout,
      ).items;
      expect(events[0].message).toMatch(
        /^Error creating: pods "big-[a-z0-9]{5}" is forbidden: exceeded quota/,
      );
      expect(events[0].type).toBe('Warning');
    });

    it('runs ReplicationControllers too', async () => {
      await w.kubectl(['apply', '-f', '-'], {
        input: `
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  replicas: 2
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: web, image: nginx}]
`,
      });
      await eventually(w, () => live('legacy').length === 2, { stepMs: 1000, what: 'two RC pods' });
      await w.kubectl(['scale', 'rc/legacy', '--replicas=1']);
      await eventually(w, () => live('legacy').length === 1, { stepMs: 1000, what: 'scale down' });
      expect(live('legacy')[0]!.metadata.ownerReferences?.[0]).toMatchObject({
        apiVersion: 'v1',
        kind: 'ReplicationController',
        name: 'legacy',
      });
      await eventually(
        w,
        async () =>
          json((await w.kubectl(['get', 'rc', 'legacy', '-o', 'json'])).stdout).status.replicas === 1,
        {
          stepMs: 1000,
          what: 'the RC status to say 1',
        },
      );
    });
  },
);
