import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

const pvc = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec,
});

const pv = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec,
});

const request = (size: string) => ({ requests: { storage: size } });

describe.skipIf(!!skipReason)('PersistentVolumes and PersistentVolumeClaims through the real kubectl', () => {
  let core: CoreLab;
  beforeAll(async () => {
    core = await startCoreLab();
  });
  afterAll(() => core?.lab.stop());

  it('creates a volume Pending with the upstream defaults and columns', async () => {
    const created = JSON.parse(
      (
        await core.kubectl(['create', '-f', '-', '-o', 'json'], {
          input: JSON.stringify(
            pv('pv1', {
              capacity: { storage: '1024Mi' },
              accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
              hostPath: { path: '/data/pv1' },
            }),
          ),
        })
      ).stdout,
    );
    expect(created.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
      capacity: { storage: '1Gi' },
      hostPath: { path: '/data/pv1', type: '' },
    });
    expect(created.status.phase).toBe('Pending');
    expect(created.status.lastPhaseTransitionTime).toMatch(/Z$/);

    const { stdout } = await core.kubectl(['get', 'pv', 'pv1', '-o', 'wide']);
    expect(stdout.split('\n')[0]).toMatch(
      /^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE\s+VOLUMEMODE$/,
    );
    expect(tableRows(stdout)[0]).toMatchObject({
      NAME: 'pv1',
      CAPACITY: '1Gi',
      'ACCESS MODES': 'RWO,ROX',
      'RECLAIM POLICY': 'Retain',
      CLAIM: '',
      STORAGECLASS: '',
      VOLUMEATTRIBUTESCLASS: '<unset>',
      VOLUMEMODE: 'Filesystem',
    });
  });

  it('gives a claim without a class the default StorageClass, and leaves an explicit "" alone', async () => {
    const created = JSON.parse(
      (
        await core.kubectl(['create', '-f', '-', '-o', 'json'], {
          input: JSON.stringify(pvc('data', { accessModes: ['ReadWriteOnce'], resources: request('1Gi') })),
        })
      ).stdout,
    );
    expect(created.spec).toMatchObject({ storageClassName: 'standard', volumeMode: 'Filesystem' });
    expect(created.status).toEqual({ phase: 'Pending' });
    await core.write(
      'create',
      pvc('static', { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: request('1Gi') }),
    );
    expect((await core.json(['pvc', 'static'])).spec.storageClassName).toBe('');

    const { stdout } = await core.kubectl(['get', 'pvc', '-o', 'wide']);
    expect(stdout.split('\n')[0]).toMatch(
      /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\s+VOLUMEMODE$/,
    );
    const data = tableRows(stdout).find((r) => r.NAME === 'data');
    expect(data).toMatchObject({
      STORAGECLASS: 'standard',
      VOLUMEATTRIBUTESCLASS: '<unset>',
      VOLUMEMODE: 'Filesystem',
    });
  });

  it('rejects a claim without access modes or size in upstream words', async () => {
    const r = await core.write('create', pvc('broken', { resources: { requests: {} } }), true);
    expect(r.stderr.trim()).toBe(
      'The PersistentVolumeClaim "broken" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value',
    );
    const modes = await core.write(
      'create',
      pvc('modes', { accessModes: ['RWO'], resources: request('1Gi') }),
      true,
    );
    expect(modes.stderr.trim()).toBe(
      'The PersistentVolumeClaim "modes" is invalid: spec.accessModes: Unsupported value: "RWO": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    );
  });

  it('keeps a claim spec fixed after creation', async () => {
    await core.write('create', pvc('fixed', { accessModes: ['ReadWriteOnce'], resources: request('1Gi') }));
    const r = await core.kubectl(
      ['patch', 'pvc', 'fixed', '--type=merge', '-p', '{"spec":{"accessModes":["ReadWriteMany"]}}'],
      { allowFail: true },
    );
    expect(r.stderr).toContain(
      'The PersistentVolumeClaim "fixed" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    );
  });

  it('rejects a volume without a source or capacity', async () => {
    const r = await core.write('create', pv('empty', { accessModes: ['ReadWriteOnce'] }), true);
    expect(r.stderr.trim()).toBe(
      'The PersistentVolume "empty" is invalid: \n* spec.capacity: Required value\n* spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"\n* spec: Required value: must specify a volume type',
    );
  });
});
