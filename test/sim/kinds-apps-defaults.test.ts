import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'install kubectl to run the kubectl suites');

/** The PodSpec defaults every template shows, for a single container named `c` running `image`. */
const templateSpec = (image: string, restartPolicy = 'Always') => ({
  containers: [
    {
      name: 'c',
      image,
      imagePullPolicy: 'IfNotPresent',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy,
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
});

const workload = (kind: string, name: string, extra = '') => `
apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, namespace: default}
spec:
  ${extra}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: "nginx:1.27"}]
`;

describe.skipIf(!!skip)('defaults and status of new objects, as `kubectl get -o json` shows them', () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  const apply = (manifest: string) => kubectl(['apply', '-f', '-'], { input: manifest });
  /** The object as the create returned it, before the controllers fill in its status. */
  const applyJson = async (manifest: string) =>
    JSON.parse((await kubectl(['apply', '-f', '-', '-o', 'json'], { input: manifest })).stdout);
  const getJson = async (...args: string[]) =>
    JSON.parse((await kubectl(['get', ...args, '-o', 'json'])).stdout);

  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin!, lab.kubeconfig);
  });
  afterAll(() => lab?.stop());

  it('defaults a Deployment like the apps/v1 API server', async () => {
    const created = await applyJson(workload('Deployment', 'web'));
    const d = await getJson('deploy', 'web');
    expect(d.metadata.generation).toBe(1);
    expect(d.spec).toEqual({
      progressDeadlineSeconds: 600,
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: templateSpec('nginx:1.27'),
      },
    });
    expect(created.status).toEqual({});
  });

  it('counts spec changes in metadata.generation, and only those', async () => {
    const again = await apply(workload('Deployment', 'web'));
    expect(again.stdout.trim()).toBe('deployment.apps/web unchanged');
    await kubectl(['label', 'deploy', 'web', 'team=blue']);
    expect((await getJson('deploy', 'web')).metadata.generation).toBe(1);
    await kubectl(['set', 'image', 'deploy/web', 'c=nginx:1.28']);
    expect((await getJson('deploy', 'web')).metadata.generation).toBe(2);
    await kubectl([
      'patch',
      'deploy',
      'web',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"collisionCount":7}}',
    ]);
    const d = await getJson('deploy', 'web');
    expect(d.metadata.generation).toBe(2);
    expect(d.status.collisionCount).toBe(7);
  });

  it('drops the rolling-update defaults when a Deployment switches to Recreate', async () => {
    await apply(workload('Deployment', 'batchy'));
    await apply(workload('Deployment', 'batchy', 'strategy: {type: Recreate}'));
    const d = await getJson('deploy', 'batchy');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.metadata.generation).toBe(2);
  });

  it('defaults a StatefulSet, its claim templates and its status', async () => {
    const created = await applyJson(`${workload('StatefulSet', 'db', 'serviceName: db')}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1024Mi}}
`);
    const s = await getJson('sts', 'db');
    expect(s.spec).toMatchObject({
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: 1,
      revisionHistoryLimit: 10,
      serviceName: 'db',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    });
    expect(s.spec.volumeClaimTemplates).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { creationTimestamp: null, name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Pending' },
      },
    ]);
    expect(created.status).toEqual({ availableReplicas: 0, replicas: 0 });
  });

  it('defaults a DaemonSet rolling update to one unavailable node at a time', async () => {
    const created = await applyJson(workload('DaemonSet', 'agent'));
    const ds = await getJson('ds', 'agent');
    expect(ds.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
    expect(created.status).toEqual({
      currentNumberScheduled: 0,
      desiredNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
    });
  });

  it('generates the selector and labels of a Job from its uid', async () => {
    const created = await applyJson(`
apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: default}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "perl:5.34"}]
`);
    const job = await getJson('job', 'pi');
    const uid = job.metadata.uid;
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'job-name': 'pi',
    };
    expect(job.metadata.labels).toEqual(labels);
    expect(job.spec).toEqual({
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      suspend: false,
      template: { metadata: { creationTimestamp: null, labels }, spec: templateSpec('perl:5.34', 'Never') },
    });
    expect(created.status).toEqual({});
    const byLabel = await kubectl(['get', 'job', '-l', 'job-name=pi', '-o', 'name']);
    expect(byLabel.stdout.trim()).toBe('job.batch/pi');
  });

  it('defaults a CronJob but leaves its job template to the Job defaults', async () => {
    await apply(`
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello, namespace: default}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: "busybox:1.36"}]
`);
    const cj = await getJson('cj', 'hello');
    expect(cj.spec).toEqual({
      concurrencyPolicy: 'Allow',
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: {
          template: {
            metadata: { creationTimestamp: null },
            spec: templateSpec('busybox:1.36', 'OnFailure'),
          },
        },
      },
      schedule: '*/5 * * * *',
      successfulJobsHistoryLimit: 3,
      suspend: false,
    });
  });

  it('defaults NetworkPolicy types, port protocols and StorageClass policies', async () => {
    await apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-only, namespace: default}
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
  - ports: [{port: 53}]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: example.com/fast
`);
    const np = await getJson('netpol', 'dns-only');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.egress).toEqual([{ ports: [{ port: 53, protocol: 'TCP' }] }]);
    expect(np.metadata.generation).toBe(1);
    const sc = await getJson('sc', 'fast');
    expect([sc.reclaimPolicy, sc.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
  });

  it('stores autoscaling/v1 HPAs as v2 and serves both versions', async () => {
    await apply(`
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  targetCPUUtilizationPercentage: 50
`);
    const v2 = await getJson('hpa', 'web');
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.minReplicas).toBe(1);
    expect(v2.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ]);
    expect(v2.status).toEqual({ currentMetrics: null, desiredReplicas: 0 });
    const v1 = JSON.parse(
      (
        await kubectl([
          'get',
          '--raw',
          '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web',
        ])
      ).stdout,
    );
    expect(v1.spec).toEqual({
      maxReplicas: 5,
      minReplicas: 1,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      targetCPUUtilizationPercentage: 50,
    });
    expect(v1.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
    const { stdout } = await kubectl(['get', 'hpa', 'web', '--no-headers']);
    expect(
      stdout
        .trim()
        .split(/\s{2,}/)
        .slice(0, 5),
    ).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', '5']);
  });

  it('gives a new PodDisruptionBudget zeroed counters', async () => {
    await apply(`
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: default}
spec:
  maxUnavailable: 25%
  selector: {matchLabels: {app: nobody}}
`);
    const pdb = await getJson('pdb', 'web');
    // Zero as created, and still zero once the disruption controller has found no pods.
    expect(pdb.status).toMatchObject({
      currentHealthy: 0,
      desiredHealthy: 0,
      disruptionsAllowed: 0,
      expectedPods: 0,
    });
    const { stdout } = await kubectl(['get', 'pdb', 'web', '--no-headers']);
    expect(
      stdout
        .trim()
        .split(/\s{2,}/)
        .slice(0, 4),
    ).toEqual(['web', 'N/A', '25%', '0']);
  });
});
