import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlOnPath, kubectlVersions } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/**
 * kubectl 1.32 and 1.33 send the bodies of their typed commands (`create ns|configmap|…`) as
 * protobuf; 1.31 sends JSON. Each command must leave the same object in the sim whichever
 * encoding carried it (apart from names, uids and timestamps).
 */

const onPath = kubectlOnPath();
const jsonBin = onPath && path.join(path.dirname(onPath), 'kubectl.1.31');
const protobufClients = kubectlVersions().filter((v) => v.label === '1.32' || v.label === '1.33');
const skip =
  !jsonBin || protobufClients.length < 2
    ? missingTool('kubectl 1.31, 1.32 and 1.33', 'google-cloud-cli ships them beside kubectl')
    : undefined;

interface Case {
  id: string;
  /** The resource as `kubectl api-resources -o name` lists it. */
  resource: string;
  /** kubectl arguments creating an object named `name`. */
  create(name: string): string[];
  /** Objects the command needs first (created with the JSON client). */
  setup?(name: string): string[][];
  check?(obj: any): void;
}

const CASES: Case[] = [
  { id: 'namespace', resource: 'namespaces', create: (n) => ['create', 'namespace', n] },
  {
    id: 'configmap',
    resource: 'configmaps',
    create: (n) => ['create', 'configmap', n, '--from-literal=mode=fast', '--from-literal=level=3'],
  },
  {
    id: 'secret',
    resource: 'secrets',
    create: (n) => [
      'create',
      'secret',
      'generic',
      n,
      '--from-literal=user=admin',
      '--from-literal=pass=s3cr=t',
    ],
    check: (o) => expect(Buffer.from(o.data.pass, 'base64').toString()).toBe('s3cr=t'),
  },
  {
    id: 'run',
    resource: 'pods',
    create: (n) => ['run', n, '--image=nginx:1.27', '--port=80', '--labels=app=web', '--env=MODE=prod'],
  },
  {
    id: 'deployment',
    resource: 'deployments.apps',
    create: (n) => ['create', 'deployment', n, '--image=nginx', '--replicas=0', '--port=8080'],
    check: (o) => expect(o.spec.replicas).toBe(0),
  },
  {
    id: 'service',
    resource: 'services',
    create: (n) => ['create', 'service', 'clusterip', n, '--tcp=80:8080', '--tcp=443:8443'],
  },
  {
    id: 'expose',
    resource: 'services',
    setup: (n) => [['run', `${n}-src`, '--image=nginx', '--labels=app=exposed']],
    create: (n) => ['expose', 'pod', `${n}-src`, `--name=${n}`, '--port=80', '--target-port=8080'],
  },
  {
    id: 'job',
    resource: 'jobs.batch',
    create: (n) => ['create', 'job', n, '--image=busybox', '--', 'echo', 'hello'],
  },
  {
    id: 'cronjob',
    resource: 'cronjobs.batch',
    create: (n) => ['create', 'cronjob', n, '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'],
  },
  {
    id: 'quota',
    resource: 'resourcequotas',
    create: (n) => ['create', 'quota', n, '--hard=pods=10,cpu=2,memory=1Gi'],
  },
  { id: 'serviceaccount', resource: 'serviceaccounts', create: (n) => ['create', 'serviceaccount', n] },
  {
    id: 'role',
    resource: 'roles.rbac.authorization.k8s.io',
    create: (n) => ['create', 'role', n, '--verb=get,list', '--resource=pods,configmaps'],
  },
  {
    id: 'rolebinding',
    resource: 'rolebindings.rbac.authorization.k8s.io',
    create: (n) => [
      'create',
      'rolebinding',
      n,
      '--clusterrole=view',
      '--user=ann',
      '--serviceaccount=default:bot',
    ],
  },
  {
    id: 'ingress',
    resource: 'ingresses.networking.k8s.io',
    create: (n) => ['create', 'ingress', n, '--rule=example.com/app*=web:80'],
  },
  {
    id: 'pdb',
    resource: 'poddisruptionbudgets.policy',
    create: (n) => ['create', 'poddisruptionbudget', n, '--selector=app=web', '--min-available=1'],
  },
  {
    id: 'priorityclass',
    resource: 'priorityclasses.scheduling.k8s.io',
    create: (n) => ['create', 'priorityclass', n, '--value=0'],
    check: (o) => expect(o.value).toBe(0),
  },
];

/** The object as a user compares it: no server-made names, uids, timestamps, status or IPs. */
function comparable(obj: any, name: string): unknown {
  const text = JSON.stringify(obj)
    .split(name)
    .join('NAME')
    .split(obj.metadata.uid)
    .join('UID')
    .replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-RANDOM');
  const o = JSON.parse(text);
  delete o.status;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp']) delete o.metadata[k];
  for (const f of o.metadata.managedFields ?? []) delete f.time;
  for (const k of ['nodeName', 'clusterIP', 'clusterIPs']) delete o.spec?.[k];
  return o;
}

describe.skipIf(!!skip)('kubectl protobuf bodies (1.32, 1.33) against JSON (1.31)', () => {
  let lab: TestLab;
  let json: Kubectl;
  let served: Set<string>;
  const references = new Map<string, Promise<unknown>>();

  beforeAll(async () => {
    lab = await startTestLab();
    json = kubectlFor(jsonBin!, lab.kubeconfig, '1.31');
    served = new Set((await json(['api-resources', '-o', 'name'])).stdout.trim().split('\n'));
  });
  afterAll(() => lab?.stop());

  async function createAndGet(kubectl: Kubectl, c: Case, name: string): Promise<any> {
    for (const args of c.setup?.(name) ?? []) await json(args);
    await kubectl(c.create(name));
    const kind = c.resource;
    return JSON.parse((await kubectl(['get', kind, name, '-o', 'json'])).stdout);
  }

  /** What the JSON client stores for a case, made once. */
  function reference(c: Case): Promise<unknown> {
    let ref = references.get(c.id);
    if (!ref) {
      const name = `pb-${c.id}-json`;
      ref = createAndGet(json, c, name).then((o) => comparable(o, name));
      references.set(c.id, ref);
    }
    return ref;
  }

  for (const c of CASES) {
    for (const v of protobufClients) {
      it(`${c.id}: kubectl ${v.label} stores what kubectl 1.31 stores, and deletes it`, async (ctx) => {
        if (!served.has(c.resource)) ctx.skip(`the sim does not serve ${c.resource} yet`);
        const kubectl = kubectlFor(v.bin, lab.kubeconfig, v.label);
        const name = `pb-${c.id}-${v.label.replace('.', '')}`;
        const obj = await createAndGet(kubectl, c, name);
        c.check?.(obj);
        expect(comparable(obj, name)).toEqual(await reference(c));

        await kubectl(['delete', c.resource, name]);
        const gone = await kubectl(['get', c.resource, name], { allowFail: true });
        expect(gone.stderr).toContain('NotFound');
      });
    }
  }

  it.each(protobufClients)(
    'kubectl $label: server-side dry run and AlreadyExists read the same',
    async (v) => {
      const kubectl = kubectlFor(v.bin, lab.kubeconfig, v.label);
      const dryRun = [
        'create',
        'configmap',
        'pb-dry',
        '--from-literal=a=b',
        '--dry-run=server',
        '-o',
        'json',
      ];
      const dry = await kubectl([...dryRun, '-v=8']);
      // The request log shows this client really sent protobuf (and so every case above did).
      expect(dry.stderr).toContain('Content-Type: application/vnd.kubernetes.protobuf');
      expect(JSON.parse(dry.stdout).data).toEqual({ a: 'b' });
      const absent = await kubectl(['get', 'configmap', 'pb-dry'], { allowFail: true });
      expect(absent.stderr).toContain('NotFound');

      await json(['create', 'configmap', `pb-twice-${v.label.replace('.', '')}`]);
      const again = ['create', 'configmap', `pb-twice-${v.label.replace('.', '')}`];
      const [fromProtobuf, fromJson] = [
        await kubectl(again, { allowFail: true }),
        await json(again, { allowFail: true }),
      ];
      expect(fromProtobuf.code).not.toBe(0);
      expect(fromProtobuf.stderr).toBe(fromJson.stderr);
    },
  );
});
