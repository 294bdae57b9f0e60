import { CustomObjectsApi, KubeConfig, type KubernetesObject, makeInformer } from '@kubernetes/client-node';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { memcachedCrdYaml } from './crd-fixtures.js';

/** An operator's view: a client-node informer on a custom resource, as the memcached operator has. */

let lab: TestLab | undefined;
afterAll(() => lab?.stop());

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('informs about custom resources added, updated and deleted', async () => {
  lab = await startTestLab();
  const crd = await apiRequest(lab, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    body: JSON.stringify(parse(memcachedCrdYaml)),
  });
  expect(crd.status).toBe(201);
  await until(
    'the CRD to be served',
    () => !!lab!.sim.cluster.registry.lookup('cache.example.com', 'v1alpha1', 'memcacheds'),
  );

  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfig);
  const api = kc.makeApiClient(CustomObjectsApi);
  const where = {
    group: 'cache.example.com',
    version: 'v1alpha1',
    namespace: 'default',
    plural: 'memcacheds',
  };
  const memcached = (name: string, size: number) => ({
    apiVersion: 'cache.example.com/v1alpha1',
    kind: 'Memcached',
    metadata: { name, namespace: 'default' },
    spec: { size },
  });
  await api.createNamespacedCustomObject({ ...where, body: memcached('before', 1) });

  const informer = makeInformer(
    kc,
    '/apis/cache.example.com/v1alpha1/namespaces/default/memcacheds',
    () => api.listNamespacedCustomObject(where) as any,
  );
  const seen: string[] = [];
  const record = (verb: string) => (o: KubernetesObject & { spec?: any }) =>
    seen.push(`${verb}:${o.metadata?.name}:${o.spec?.size}:${o.kind}`);
  informer.on('add', record('add'));
  informer.on('update', record('update'));
  informer.on('delete', record('delete'));
  await informer.start();
  try {
    await until('the initial list', () => seen.includes('add:before:1:Memcached'));
    await api.createNamespacedCustomObject({ ...where, body: memcached('cache', 1) });
    const current: any = await api.getNamespacedCustomObject({ ...where, name: 'cache' });
    await api.replaceNamespacedCustomObject({
      ...where,
      name: 'cache',
      body: { ...current, spec: { size: 3 } },
    });
    await api.deleteNamespacedCustomObject({ ...where, name: 'cache' });
    await until('the delete', () => seen.includes('delete:cache:3:Memcached'));
    expect(seen).toEqual([
      'add:before:1:Memcached',
      'add:cache:1:Memcached',
      'update:cache:3:Memcached',
      'delete:cache:3:Memcached',
    ]);
  } finally {
    await informer.stop();
  }
});
