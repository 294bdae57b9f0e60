import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/sim/api/errors.js';
import type { ResourceType } from '../../src/sim/kinds/types.js';
import { patchServices } from '../../src/sim/patch/index.js';
import { Models } from '../../src/sim/schema/models.js';
import type { KubeObject } from '../../src/sim/store/types.js';

/**
 * Server-side apply and managedFields through the patch services, the way the write pipeline
 * drives them: apply computes the object and ownership, the field manager stamps times, and
 * plain writes record Update entries.
 */

const services = patchServices(Models.load());
const deployments = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
  schema: 'V1Deployment',
  statusSubresource: true,
} as ResourceType;

const T0 = new Date('2025-01-01T10:00:00.400Z');
const T1 = new Date('2025-01-01T10:05:00Z');

function apply(
  current: KubeObject | undefined,
  config: unknown,
  manager = 'kubectl',
  force = false,
  now = T0,
) {
  const obj = services.apply(deployments, current, {
    type: 'apply',
    patch: config,
    fieldManager: manager,
    force,
  });
  services.fieldManager.update(deployments, obj, current, manager, 'Apply', undefined, now);
  return obj;
}

function update(current: KubeObject | undefined, next: KubeObject, manager: string, now = T0) {
  const obj = structuredClone(next);
  services.fieldManager.update(deployments, obj, current, manager, 'Update', undefined, now);
  return obj;
}

const config = (replicas = 2, image = 'nginx:1.27', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
    },
    ...extra,
  },
});

const entry = (o: KubeObject, manager: string) =>
  o.metadata.managedFields?.find((e: any) => e.manager === manager);

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('server-side apply', () => {
  it('records what the configuration sets, with map-list keys and defaulted key fields', () => {
    const obj = apply(undefined, config());
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2025-01-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('changes nothing when the same configuration is applied again later', () => {
    const first = apply(undefined, config());
    const again = apply(first, config(), 'kubectl', false, T1);
    expect(again).toEqual(first);
  });

  it('fails on a field another manager set to another value, worded as upstream', () => {
    const first = apply(undefined, config());
    const err = apiError(() => apply(first, config(5), 'other'));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(err.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' },
    ]);
    const two = apiError(() => apply(first, config(5, 'nginx:2'), 'other'));
    expect(two.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
  });

  it('names updaters with their API version in conflicts', () => {
    const created = update(undefined, config(2) as KubeObject, 'kubectl-client-side-apply');
    const err = apiError(() => apply(created, config(3), 'other'));
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
  });

  it('takes the field over with force, and the old owner loses it', () => {
    const first = apply(undefined, config());
    const forced = apply(first, config(5), 'other', true, T1);
    expect(forced.spec.replicas).toBe(5);
    expect((entry(forced, 'kubectl') as any).fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect((entry(forced, 'other') as any).fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect((entry(forced, 'other') as any).time).toBe('2025-01-01T10:05:00Z');
  });

  it('shares a field two managers apply with the same value', () => {
    const first = apply(undefined, config());
    const shared = apply(
      first,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } },
      'other',
    );
    expect((entry(shared, 'kubectl') as any).fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect((entry(shared, 'other') as any).fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('removes fields the manager applied before and dropped, unless someone else owns them', () => {
    const first = apply(undefined, config(2, 'nginx:1.27', { minReadySeconds: 5, paused: true }));
    const shared = apply(
      first,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { paused: true } },
      'other',
    );
    const dropped = apply(shared, config(), 'kubectl', false, T1);
    expect(dropped.spec.minReadySeconds).toBeUndefined();
    expect(dropped.spec.paused).toBe(true);
  });

  it('merges map lists by key and removes items the manager no longer applies', () => {
    const two = config(2, 'nginx:1.27');
    (two.spec.template.spec.containers as any[]).push({ name: 'log', image: 'fluent' });
    const first = apply(undefined, two);
    const other = apply(
      first,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { template: { spec: { containers: [{ name: 'extra', image: 'x' }] } } },
      },
      'other',
    );
    expect(other.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'log', 'extra']);
    const dropped = apply(other, config(), 'kubectl', false, T1);
    expect(dropped.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'extra']);
  });

  it('rejects configurations that do not fit the schema, as upstream words it', () => {
    const unknown = apiError(() => apply(undefined, config(2, 'x', { foo: 1 })));
    expect(unknown.code).toBe(500);
    expect(unknown.message).toBe(
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema',
    );
    const noKey = config();
    (noKey.spec.template.spec as any).imagePullSecrets = [{}];
    expect(apiError(() => apply(undefined, noKey)).message).toMatch(
      /\.spec\.template\.spec\.imagePullSecrets: element 0: associative list with keys has an element that omits key field "name" \(and doesn't have default value\)$/,
    );
    const dup = config();
    (dup.spec.template.spec.containers as any[]).push({ name: 'web', image: 'y' });
    expect(apiError(() => apply(undefined, dup)).message).toMatch(
      /\.spec\.template\.spec\.containers: duplicate entries for key \[name="web"\]$/,
    );
    const managed = config() as any;
    managed.metadata.managedFields = [];
    expect(apiError(() => apply(undefined, managed))).toMatchObject({
      code: 400,
      message: 'metadata.managedFields must be nil',
    });
    const version = { ...config(), apiVersion: 'apps/v1beta1' };
    expect(apiError(() => apply(undefined, version)).message).toBe(
      'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
    );
  });

  it('lets `kubectl apply --server-side` take over fields from client-side apply', () => {
    const annotated = config(2) as any;
    annotated.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(config(2)),
    };
    const created = update(undefined, annotated, 'kubectl-client-side-apply');
    const taken = apply(created, config(4), 'kubectl');
    expect(taken.spec.replicas).toBe(4);
    expect(
      JSON.parse(taken.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? ''),
    ).toEqual(config(4));
    expect(apiError(() => apply(created, config(4), 'someone-else')).code).toBe(409);
  });
});

describe('managedFields for updates', () => {
  it('records a create the way upstream does, marking maps and items it added', () => {
    const created = update(undefined, config() as KubeObject, 'kubectl-create');
    const e = entry(created, 'kubectl-create') as any;
    expect(e).toMatchObject({ operation: 'Update', apiVersion: 'apps/v1', time: '2025-01-01T10:00:00Z' });
    expect(e.fieldsV1['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });
    expect(e.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']).toEqual({
      'k:{"name":"web"}': {
        '.': {},
        'f:image': {},
        'f:name': {},
        'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
      },
    });
  });

  it('moves changed fields to the manager that changed them and drops empty entries', () => {
    const created = update(undefined, config() as KubeObject, 'kubectl-create');
    const edited = structuredClone(created);
    edited.spec.template.spec.containers[0].image = 'nginx:2';
    const after = update(created, edited, 'kubectl-edit', T1);
    expect((entry(after, 'kubectl-edit') as any).fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } },
    });
    const creator = entry(after, 'kubectl-create') as any;
    expect(
      creator.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['f:image'],
    ).toBe(undefined);
    expect(creator.time).toBe('2025-01-01T10:00:00Z');

    const reverted = structuredClone(after);
    reverted.spec.template.spec.containers[0].image = 'nginx:3';
    const again = update(after, reverted, 'kubectl-create', T1);
    expect(entry(again, 'kubectl-edit')).toBeUndefined();
  });

  it('leaves managedFields alone when a write changes nothing', () => {
    const created = update(undefined, config() as KubeObject, 'kubectl-create');
    expect(update(created, structuredClone(created), 'kubectl-edit', T1)).toEqual(created);
  });

  it('clears managedFields when a client sends an empty list', () => {
    const created = update(undefined, config() as KubeObject, 'kubectl-create');
    const reset = structuredClone(created);
    reset.metadata.managedFields = [{}];
    expect(update(created, reset, 'kubectl-patch', T1).metadata.managedFields).toBeUndefined();
  });
});
