import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlOnPath, kubectlVersions } from '../helpers/kubectl.js';
import { headerOf, parseTable, tables } from '../helpers/kubectl-table.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'install kubectl to run the kubectl suites');

/** One workload of each kind, as a learner would write them. */
const WORKLOADS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: frontend, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {tier: frontend}}
  template:
    metadata: {labels: {tier: frontend}}
    spec:
      containers: [{name: php, image: "php:8"}, {name: redis, image: "redis:7"}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: postgres, image: "postgres:16"}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers: [{name: agent, image: "busybox:1.36"}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: default}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: "perl:5.34"}]
---
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
          containers: [{name: hello, image: "busybox:1.36"}]
`;

describe.skipIf(!!skip)('apps, batch and friends through the real kubectl', () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin!, lab.kubeconfig);
    await kubectl(['apply', '-f', '-'], { input: WORKLOADS });
  });
  afterAll(() => lab?.stop());

  it('lists the kinds in api-resources as a 1.33 cluster does', async () => {
    const { stdout } = await kubectl(['api-resources', '-o', 'wide']);
    const rows = parseTable(stdout);
    const row = (name: string, apiVersion: string) => {
      const r = rows.find((x) => x.NAME === name && x.APIVERSION === apiVersion);
      return r && [r.SHORTNAMES, r.NAMESPACED, r.KIND, r.VERBS, r.CATEGORIES].join(' | ');
    };
    const all = 'create,delete,deletecollection,get,list,patch,update,watch';
    expect(row('deployments', 'apps/v1')).toBe(`deploy | true | Deployment | ${all} | all`);
    expect(row('replicasets', 'apps/v1')).toBe(`rs | true | ReplicaSet | ${all} | all`);
    expect(row('statefulsets', 'apps/v1')).toBe(`sts | true | StatefulSet | ${all} | all`);
    expect(row('daemonsets', 'apps/v1')).toBe(`ds | true | DaemonSet | ${all} | all`);
    expect(row('controllerrevisions', 'apps/v1')).toBe(` | true | ControllerRevision | ${all} | `);
    expect(row('jobs', 'batch/v1')).toBe(` | true | Job | ${all} | all`);
    expect(row('cronjobs', 'batch/v1')).toBe(`cj | true | CronJob | ${all} | all`);
    expect(row('horizontalpodautoscalers', 'autoscaling/v2')).toBe(
      `hpa | true | HorizontalPodAutoscaler | ${all} | all`,
    );
    expect(row('networkpolicies', 'networking.k8s.io/v1')).toBe(`netpol | true | NetworkPolicy | ${all} | `);
    expect(row('ingresses', 'networking.k8s.io/v1')).toBe(`ing | true | Ingress | ${all} | `);
    expect(row('ingressclasses', 'networking.k8s.io/v1')).toBe(` | false | IngressClass | ${all} | `);
    expect(row('storageclasses', 'storage.k8s.io/v1')).toBe(`sc | false | StorageClass | ${all} | `);
    expect(row('csidrivers', 'storage.k8s.io/v1')).toBe(` | false | CSIDriver | ${all} | `);
    expect(row('csinodes', 'storage.k8s.io/v1')).toBe(` | false | CSINode | ${all} | `);
    expect(row('volumeattachments', 'storage.k8s.io/v1')).toBe(` | false | VolumeAttachment | ${all} | `);
    expect(row('csistoragecapacities', 'storage.k8s.io/v1')).toBe(` | true | CSIStorageCapacity | ${all} | `);
    expect(row('endpointslices', 'discovery.k8s.io/v1')).toBe(` | true | EndpointSlice | ${all} | `);
    expect(row('leases', 'coordination.k8s.io/v1')).toBe(` | true | Lease | ${all} | `);
    expect(row('poddisruptionbudgets', 'policy/v1')).toBe(`pdb | true | PodDisruptionBudget | ${all} | `);
  });

  it('serves autoscaling/v1 beside the preferred v2 and the scale subresources in discovery', async () => {
    const v1 = JSON.parse((await kubectl(['get', '--raw', '/apis/autoscaling/v1'])).stdout);
    expect(v1.resources.map((r: any) => r.name)).toEqual([
      'horizontalpodautoscalers',
      'horizontalpodautoscalers/status',
    ]);
    const group = JSON.parse((await kubectl(['get', '--raw', '/apis/autoscaling'])).stdout);
    expect(group.preferredVersion.version).toBe('v2');
    const apps = JSON.parse((await kubectl(['get', '--raw', '/apis/apps/v1'])).stdout);
    const scale = apps.resources.find((r: any) => r.name === 'deployments/scale');
    expect(scale).toMatchObject({ kind: 'Scale', group: 'autoscaling', version: 'v1' });
    expect(scale.verbs).toEqual(['get', 'patch', 'update']);
  });

  it('prints the workload tables with upstream columns under -o wide', async () => {
    const { stdout } = await kubectl(['get', 'deploy,rs,sts,ds,job,cj', '-o', 'wide']);
    const [deploy, rs, sts, ds, job, cj] = tables(stdout);
    expect(headerOf(deploy!)).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(parseTable(deploy!)[0]).toMatchObject({
      NAME: 'deployment.apps/web',
      // The counts move as the controllers and the kubelet start the pods.
      READY: expect.stringMatching(/^[0-2]\/2$/),
      'UP-TO-DATE': expect.stringMatching(/^[0-2]$/),
      AVAILABLE: expect.stringMatching(/^[0-2]$/),
      CONTAINERS: 'nginx',
      IMAGES: 'nginx:1.27',
      SELECTOR: 'app=web',
    });
    expect(headerOf(rs!)).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(parseTable(rs!)[0]).toMatchObject({
      NAME: 'replicaset.apps/frontend',
      DESIRED: '3',
      CURRENT: expect.stringMatching(/^[0-3]$/),
      READY: expect.stringMatching(/^[0-3]$/),
      CONTAINERS: 'php,redis',
      IMAGES: 'php:8,redis:7',
      SELECTOR: 'tier=frontend',
    });
    expect(headerOf(sts!)).toEqual(['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
    expect(parseTable(sts!)[0]).toMatchObject({
      NAME: 'statefulset.apps/db',
      READY: expect.stringMatching(/^[01]\/1$/),
    });
    expect(headerOf(ds!)).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(parseTable(ds!)[0]).toMatchObject({
      NAME: 'daemonset.apps/agent',
      DESIRED: expect.stringMatching(/^[02]$/),
      'NODE SELECTOR': 'kubernetes.io/os=linux',
      SELECTOR: 'app=agent',
    });
    expect(headerOf(job!)).toEqual([
      'NAME',
      'STATUS',
      'COMPLETIONS',
      'DURATION',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    const jobRow = parseTable(job!)[0]!;
    expect(jobRow).toMatchObject({
      NAME: 'job.batch/pi',
      STATUS: expect.stringMatching(/^(Running|Complete|Failed)$/),
      COMPLETIONS: expect.stringMatching(/^[01]\/1$/),
    });
    expect(jobRow.SELECTOR).toMatch(/^batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/);
    expect(headerOf(cj!)).toEqual([
      'NAME',
      'SCHEDULE',
      'TIMEZONE',
      'SUSPEND',
      'ACTIVE',
      'LAST SCHEDULE',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(parseTable(cj!)[0]).toMatchObject({
      NAME: 'cronjob.batch/hello',
      SCHEDULE: '*/5 * * * *',
      TIMEZONE: '<none>',
      SUSPEND: 'False',
      SELECTOR: '<none>',
    });
  });

  it('lists the kubernetes service and the workloads under `get all -A`, each with its kind', async () => {
    const { stdout } = await kubectl(['get', 'all', '-A']);
    const names = tables(stdout).flatMap((t) => parseTable(t).map((r) => `${r.NAMESPACE} ${r.NAME}`));
    expect(names).toEqual(
      expect.arrayContaining([
        'default service/kubernetes',
        'default daemonset.apps/agent',
        'default deployment.apps/web',
        'default replicaset.apps/frontend',
        'default statefulset.apps/db',
        'default cronjob.batch/hello',
        'default job.batch/pi',
      ]),
    );
  });

  it("marks kind's standard StorageClass as the default", async () => {
    const { stdout } = await kubectl(['get', 'sc']);
    expect(headerOf(stdout)).toEqual([
      'NAME',
      'PROVISIONER',
      'RECLAIMPOLICY',
      'VOLUMEBINDINGMODE',
      'ALLOWVOLUMEEXPANSION',
      'AGE',
    ]);
    expect(parseTable(stdout)).toEqual([
      expect.objectContaining({
        NAME: 'standard (default)',
        PROVISIONER: 'rancher.io/local-path',
        RECLAIMPOLICY: 'Delete',
        VOLUMEBINDINGMODE: 'WaitForFirstConsumer',
        ALLOWVOLUMEEXPANSION: 'false',
      }),
    ]);
  });

  it('scales a deployment through its scale subresource', async () => {
    const scaled = await kubectl(['scale', 'deployment', 'web', '--replicas=5']);
    expect(scaled.stdout.trim()).toBe('deployment.apps/web scaled');
    const { stdout } = await kubectl(['get', 'deploy', 'web']);
    expect(parseTable(stdout)[0]).toMatchObject({
      NAME: 'web',
      READY: expect.stringMatching(/^[0-5]\/5$/),
    });
    const scale = JSON.parse(
      (await kubectl(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale'])).stdout,
    );
    expect(scale).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 5 },
      status: { replicas: expect.any(Number), selector: 'app=web' },
    });
    const deploy = JSON.parse((await kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout);
    expect(deploy.metadata.generation).toBe(2);
    expect(deploy.spec.replicas).toBe(5);
  });

  it.each(kubectlVersions().map((v) => [v.label, v.bin]))(
    'prints the same server-side columns for kubectl %s',
    async (label, versionBin) => {
      const k = kubectlFor(versionBin, lab.kubeconfig, label);
      const { stdout } = await k(['get', 'deploy,job,cj', '-o', 'wide']);
      expect(tables(stdout).map((t) => headerOf(t).join(' '))).toEqual([
        'NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR',
        'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS IMAGES SELECTOR',
        'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE CONTAINERS IMAGES SELECTOR',
      ]);
    },
  );
});
