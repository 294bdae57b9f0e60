import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

const ALL = 'create,delete,deletecollection,get,list,patch,update,watch';

/** `kubectl api-resources -o wide` rows of a real 1.33 cluster for these kinds. */
const EXPECTED = [
  ['endpoints', 'ep', 'v1', 'true', 'Endpoints', ''],
  ['events', 'ev', 'v1', 'true', 'Event', ''],
  ['limitranges', 'limits', 'v1', 'true', 'LimitRange', ''],
  ['persistentvolumeclaims', 'pvc', 'v1', 'true', 'PersistentVolumeClaim', ''],
  ['persistentvolumes', 'pv', 'v1', 'false', 'PersistentVolume', ''],
  ['podtemplates', '', 'v1', 'true', 'PodTemplate', ''],
  ['replicationcontrollers', 'rc', 'v1', 'true', 'ReplicationController', 'all'],
  ['resourcequotas', 'quota', 'v1', 'true', 'ResourceQuota', ''],
  ['secrets', '', 'v1', 'true', 'Secret', ''],
  ['serviceaccounts', 'sa', 'v1', 'true', 'ServiceAccount', ''],
  ['services', 'svc', 'v1', 'true', 'Service', 'all'],
  ['events', 'ev', 'events.k8s.io/v1', 'true', 'Event', ''],
];

/** Subresources `/api/v1` lists for them, with their verbs. */
const SUBRESOURCES: Record<string, { kind: string; verbs: string[]; group?: string; version?: string }> = {
  'persistentvolumeclaims/status': { kind: 'PersistentVolumeClaim', verbs: ['get', 'patch', 'update'] },
  'persistentvolumes/status': { kind: 'PersistentVolume', verbs: ['get', 'patch', 'update'] },
  'replicationcontrollers/scale': {
    kind: 'Scale',
    group: 'autoscaling',
    version: 'v1',
    verbs: ['get', 'patch', 'update'],
  },
  'replicationcontrollers/status': { kind: 'ReplicationController', verbs: ['get', 'patch', 'update'] },
  'resourcequotas/status': { kind: 'ResourceQuota', verbs: ['get', 'patch', 'update'] },
  'serviceaccounts/token': {
    kind: 'TokenRequest',
    group: 'authentication.k8s.io',
    version: 'v1',
    verbs: ['create'],
  },
  'services/proxy': { kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  'services/status': { kind: 'Service', verbs: ['get', 'patch', 'update'] },
};

describe.skipIf(!!skipReason)('discovery of the core/v1 kinds', () => {
  let core: CoreLab;
  beforeAll(async () => {
    core = await startCoreLab();
  });
  afterAll(() => core?.lab.stop());

  it('lists them in kubectl api-resources as a 1.33 cluster does', async () => {
    const { stdout } = await core.kubectl(['api-resources', '-o', 'wide']);
    const rows = tableRows(stdout);
    for (const [name, shortNames, apiVersion, namespaced, kind, categories] of EXPECTED) {
      const row = rows.find((r) => r.NAME === name && r.APIVERSION === apiVersion);
      expect(row, `${name} (${apiVersion})`).toBeDefined();
      expect({
        ...row,
        VERBS: row!
          .VERBS!.replace(/^\[|\]$/g, '')
          .split(/[ ,]/)
          .join(','),
      }).toEqual({
        NAME: name,
        SHORTNAMES: shortNames,
        APIVERSION: apiVersion,
        NAMESPACED: namespaced,
        KIND: kind,
        VERBS: ALL,
        CATEGORIES: categories,
      });
    }
  });

  it('lists their subresources in /api/v1', async () => {
    const list = JSON.parse((await core.kubectl(['get', '--raw', '/api/v1'])).stdout);
    for (const [name, want] of Object.entries(SUBRESOURCES)) {
      const entry = list.resources.find((r: any) => r.name === name);
      expect(entry, name).toMatchObject({ ...want, namespaced: !name.startsWith('persistentvolumes/') });
    }
    const singular = Object.fromEntries(list.resources.map((r: any) => [r.name, r.singularName]));
    expect(singular.endpoints).toBe('endpoints');
    expect(singular.services).toBe('service');
  });

  it('lets kubectl get all find services and replication controllers', async () => {
    await core.write('create', [
      {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: { name: 'legacy', namespace: 'default' },
        spec: {
          template: {
            metadata: { labels: { app: 'legacy' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'PodTemplate',
        metadata: { name: 'tpl', namespace: 'default' },
        template: {
          metadata: { labels: { app: 'tpl', tier: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'nginx:1.27' },
              { name: 'log', image: 'busybox' },
            ],
          },
        },
      },
    ]);
    const rc = await core.json(['rc', 'legacy']);
    expect(rc.spec).toMatchObject({ replicas: 1, selector: { app: 'legacy' } });
    expect(rc.metadata.labels).toEqual({ app: 'legacy' });
    expect(rc.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });

    const all = (await core.kubectl(['get', 'all', '-o', 'name'])).stdout.trim().split('\n');
    expect(all).toEqual(expect.arrayContaining(['service/kubernetes', 'replicationcontroller/legacy']));

    const wide = tableRows((await core.kubectl(['get', 'rc', '-o', 'wide'])).stdout);
    expect(wide).toEqual([
      {
        NAME: 'legacy',
        DESIRED: '1',
        CURRENT: expect.any(String),
        READY: expect.any(String),
        AGE: expect.any(String),
        CONTAINERS: 'web',
        IMAGES: 'nginx:1.27',
        SELECTOR: 'app=legacy',
      },
    ]);
    await core.kubectl(['scale', 'rc', 'legacy', '--replicas=3']);
    expect((await core.json(['rc', 'legacy'])).spec.replicas).toBe(3);

    const templates = tableRows((await core.kubectl(['get', 'podtemplates'])).stdout);
    expect(templates).toEqual([
      { NAME: 'tpl', CONTAINERS: 'web,log', IMAGES: 'nginx:1.27,busybox', 'POD LABELS': 'app=tpl,tier=web' },
    ]);
  });
});
