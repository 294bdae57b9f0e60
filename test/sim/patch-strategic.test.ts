import { describe, expect, it } from 'vitest';
import { PatchFormatError, PatchServerError } from '../../src/sim/patch/errors.js';
import { factNames, listStrategy } from '../../src/sim/patch/merge-keys.js';
import { Shapes } from '../../src/sim/patch/shape.js';
import { strategicMergePatch } from '../../src/sim/patch/strategic.js';
import { Models } from '../../src/sim/schema/models.js';

const models = Models.load();
const shapes = new Shapes(models);
const deployment = shapes.model('V1Deployment');
const smp = (original: unknown, patch: unknown) => strategicMergePatch(original, patch, deployment) as any;

function live() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              terminationMessagePath: '/dev/termination-log',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              args: ['-a', '-b'],
            },
            { name: 'sidecar', image: 'busybox', terminationMessagePath: '/dev/termination-log' },
          ],
          tolerations: [{ key: 'x', operator: 'Exists' }],
          dnsPolicy: 'ClusterFirst',
        },
      },
    },
  };
}

const containers = (o: any) => o.spec.template.spec.containers;
const podPatch = (spec: unknown) => ({ spec: { template: { spec } } });

describe('strategic merge patch', () => {
  it('merges containers by name and keeps what the server set', () => {
    const out = smp(live(), podPatch({ containers: [{ name: 'web', image: 'nginx:1.27' }] }));
    expect(containers(out)).toEqual([
      { ...live().spec.template.spec.containers[0], image: 'nginx:1.27' },
      live().spec.template.spec.containers[1],
    ]);
    expect(out.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
  });

  it('puts a new container first (as upstream does without $setElementOrder), without nulls', () => {
    const out = smp(live(), podPatch({ containers: [{ name: 'log', image: 'fluent', stdin: null }] }));
    expect(containers(out).map((c: any) => c.name)).toEqual(['log', 'web', 'sidecar']);
    expect(containers(out)[0]).toEqual({ name: 'log', image: 'fluent' });
  });

  it('merges container ports by containerPort', () => {
    const out = smp(
      live(),
      podPatch({
        containers: [{ name: 'web', ports: [{ containerPort: 443 }, { containerPort: 80, name: 'http' }] }],
      }),
    );
    expect(containers(out)[0].ports).toEqual([
      { containerPort: 443 },
      { containerPort: 80, protocol: 'TCP', name: 'http' },
    ]);
  });

  it('deletes a list item with $patch: delete, as kubectl apply does for a dropped container', () => {
    const out = smp(
      live(),
      podPatch({
        '$setElementOrder/containers': [{ name: 'web' }],
        containers: [{ $patch: 'delete', name: 'sidecar' }],
      }),
    );
    expect(containers(out).map((c: any) => c.name)).toEqual(['web']);
  });

  it('replaces a whole merging list with $patch: replace', () => {
    const out = smp(live(), podPatch({ containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] }));
    expect(containers(out)).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('replaces a map with $patch: replace and empties it with $patch: delete', () => {
    expect(smp(live(), { metadata: { labels: { $patch: 'replace', only: 'me' } } }).metadata.labels).toEqual({
      only: 'me',
    });
    expect(smp(live(), { metadata: { labels: { $patch: 'delete' } } }).metadata.labels).toEqual({});
  });

  it('rejects directives upstream rejects, with its messages', () => {
    expect(() => smp(live(), podPatch({ containers: [{ $patch: 'merge', name: 'web' }] }))).toThrow(
      new PatchServerError('merging lists cannot yet be specified in the patch'),
    );
    expect(() => smp(live(), { metadata: { labels: { $patch: 'merge', a: 'b' } } })).toThrow(
      new PatchServerError('unknown patch type: merge in map: map[$patch:merge a:b]'),
    );
    expect(() => smp(live(), podPatch({ containers: [{ image: 'nginx' }] }))).toThrow(
      new PatchServerError('map: map[image:nginx] does not contain declared merge key: name'),
    );
  });

  it('clears fields outside $retainKeys (switching a Deployment to Recreate)', () => {
    const out = smp(live(), {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
    });
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(() => smp(live(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } })).toThrow(
      new PatchFormatError('invalid patch format of retainKeys'),
    );
  });

  it('merges primitive lists as sets and deletes with $deleteFromPrimitiveList', () => {
    expect(smp(live(), { metadata: { finalizers: ['b', 'c'] } }).metadata.finalizers).toEqual([
      'a',
      'b',
      'c',
    ]);
    const out = smp(live(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    expect(out.metadata.finalizers).toEqual(['b']);
    const missing = smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    expect(missing.metadata).toEqual({});
  });

  it('orders a merged list as $setElementOrder says', () => {
    const out = smp(
      live(),
      podPatch({
        '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'log' }, { name: 'web' }],
        containers: [{ name: 'log', image: 'fluent' }],
      }),
    );
    expect(containers(out).map((c: any) => c.name)).toEqual(['sidecar', 'log', 'web']);
    expect(() =>
      smp(
        live(),
        podPatch({
          '$setElementOrder/containers': [{ name: 'web' }],
          containers: [{ name: 'log', image: 'x' }],
        }),
      ),
    ).toThrow(
      /The order in patch list:\n\[map\[image:x name:log\]\]\n doesn't match \$setElementOrder list:/,
    );
  });

  it('replaces lists without a merge strategy and lists of unknown fields', () => {
    const out = smp(
      live(),
      podPatch({
        tolerations: [{ key: 'y', operator: 'Exists' }],
        containers: [{ name: 'web', args: ['-c'] }],
      }),
    );
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
    expect(containers(out)[0].args).toEqual(['-c']);
    const unknown = strategicMergePatch(
      { extra: [1, 2], nested: { a: 1 } },
      { extra: [3], nested: { b: 2 } },
      deployment,
    );
    expect(unknown).toEqual({ extra: [3], nested: { a: 1, b: 2 } });
  });

  it('deletes map keys set to null and ignores nulls for keys that are absent', () => {
    const out = smp(live(), { metadata: { labels: { tier: null, missing: null } }, spec: { paused: null } });
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect('paused' in out.spec).toBe(false);
  });

  it('replaces a value whose type changed', () => {
    expect(smp(live(), { spec: { replicas: '3' } }).spec.replicas).toBe('3');
  });

  it('does not modify its inputs', () => {
    const original = live();
    const patch = podPatch({ containers: [{ name: 'web', image: 'x' }] });
    const before = JSON.stringify([original, patch]);
    smp(original, patch);
    expect(JSON.stringify([original, patch])).toBe(before);
  });
});

describe('merge-key facts', () => {
  it('name fields the schema has', () => {
    const missing = factNames().filter(([model, field]) => {
      const m = models.get(model);
      return !m || (field !== '' && !(field in m.properties));
    });
    expect(missing).toEqual([]);
  });

  it('record upstream strategies for the fields kubectl merges most', () => {
    expect(listStrategy('V1PodSpec', 'containers')).toMatchObject({
      patchStrategy: 'merge',
      patchMergeKey: 'name',
    });
    expect(listStrategy('V1PodSpec', 'volumes')).toMatchObject({ patchStrategy: 'merge,retainKeys' });
    expect(listStrategy('V1Container', 'ports')).toEqual({
      patchStrategy: 'merge',
      patchMergeKey: 'containerPort',
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
    });
    expect(listStrategy('V1PodSpec', 'tolerations')).toEqual({ listType: 'atomic' });
    expect(listStrategy('V1ObjectMeta', 'finalizers')).toEqual({ patchStrategy: 'merge', listType: 'set' });
    expect(listStrategy('V1JobStatus', 'conditions')).toEqual({
      patchStrategy: 'merge',
      patchMergeKey: 'type',
      listType: 'atomic',
    });
  });
});
