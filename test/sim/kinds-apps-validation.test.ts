import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'install kubectl to run the kubectl suites');

const deployment = (name: string, selector: string, labels: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  ${selector}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers: [{name: nginx, image: nginx}]
`;

const cronJob = (schedule: string) => `
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick, namespace: default}
spec:
  schedule: "${schedule}"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: tick, image: busybox}]
`;

describe.skipIf(!!skip)('validation messages of the workload and networking kinds', () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  /** Apply a manifest and return kubectl's error output (the apply must fail). */
  const rejected = async (manifest: string) => {
    const r = await kubectl(['apply', '-f', '-'], { input: manifest, allowFail: true });
    expect(r.code, r.stdout).not.toBe(0);
    return r.stderr.trim();
  };
  const applied = (manifest: string) => kubectl(['apply', '-f', '-'], { input: manifest });

  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin!, lab.kubeconfig);
  });
  afterAll(() => lab?.stop());

  it('rejects a Deployment whose selector does not match its template labels', async () => {
    const err = await rejected(deployment('bad', 'selector: {matchLabels: {app: web}}', '{app: other}'));
    expect(err).toBe(
      'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
  });

  it('reports a missing selector together with the mismatch it causes', async () => {
    const err = await rejected(deployment('noselector', '', '{app: web, tier: front}'));
    expect(err).toBe(
      [
        'The Deployment "noselector" is invalid: ',
        '* spec.selector: Required value',
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "tier":"front"}: `selector` does not match template `labels`',
      ].join('\n'),
    );
  });

  it('keeps a Deployment selector immutable', async () => {
    await applied(deployment('web', 'selector: {matchLabels: {app: web}}', '{app: web}'));
    const err = await rejected(deployment('web', 'selector: {matchLabels: {app: web2}}', '{app: web2}'));
    expect(err).toBe(
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('rejects negative replicas and a rolling update that can never progress', async () => {
    const manifest = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: stuck, namespace: default}
spec:
  replicas: -1
  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}
  selector: {matchLabels: {app: stuck}}
  template:
    metadata: {labels: {app: stuck}}
    spec:
      containers: [{name: nginx, image: nginx}]
`;
    expect(await rejected(manifest)).toBe(
      [
        'The Deployment "stuck" is invalid: ',
        '* spec.replicas: Invalid value: -1: must be greater than or equal to 0',
        '* spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
      ].join('\n'),
    );
  });

  it('insists that Job pods do not restart Always (the pod default)', async () => {
    const err = await rejected(`
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: default}
spec:
  template:
    spec:
      containers: [{name: once, image: busybox}]
`);
    expect(err).toBe(
      'The Job "once" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
  });

  it('rejects a Job whose name cannot be a label value', async () => {
    const name = `nightly-report-${'x'.repeat(50)}`;
    const err = await rejected(`
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: default}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: report, image: busybox}]
`);
    expect(err).toBe(
      `The Job "${name}" is invalid: spec.template.labels: Invalid value: "${name}": must be no more than 63 characters`,
    );
  });

  it.each([
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['0 9 * * mon-fry', 'failed to parse int from fry: strconv.Atoi: parsing "fry": invalid syntax'],
    ['@often', 'unrecognized descriptor: @often'],
  ])('reports the cron parser error for the schedule %j', async (schedule, detail) => {
    const err = await rejected(cronJob(schedule));
    expect(err).toBe(`The CronJob "tick" is invalid: spec.schedule: Invalid value: "${schedule}": ${detail}`);
  });

  it('accepts the schedules and descriptors cron understands', async () => {
    for (const schedule of ['0 9 * * MON-FRI', '*/15 0-6 1,15 jan-jun *', '@hourly', '@every 90m']) {
      await applied(cronJob(schedule));
    }
    const { stdout } = await kubectl(['get', 'cj', 'tick', '-o', 'jsonpath={.spec.schedule}']);
    expect(stdout).toBe('@every 90m');
  });

  it('requires a pathType on every Ingress path', async () => {
    const err = await rejected(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        backend: {service: {name: web, port: {number: 80}}}
`);
    expect(err).toBe(
      'The Ingress "web" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    );
  });

  it('forbids changing StatefulSet fields other than the mutable ones', async () => {
    const sts = (serviceName: string, replicas: number) => `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  serviceName: ${serviceName}
  replicas: ${replicas}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: postgres, image: "postgres:16"}]
`;
    await applied(sts('db', 1));
    await applied(sts('db', 3));
    expect(await rejected(sts('database', 3))).toBe(
      "The StatefulSet \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
  });

  it('forbids changing the provisioner of a StorageClass', async () => {
    const sc = (provisioner: string) => `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: ${provisioner}
`;
    await applied(sc('example.com/fast'));
    expect(await rejected(sc('example.com/slow'))).toBe(
      'The StorageClass "fast" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.',
    );
  });
});
