import {
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  makeInformer,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/** Poll until `check` returns true, failing with `what` after the timeout. */
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cm = (name: string, ns = 'default', data: Record<string, string> = {}): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data,
});

describe('@kubernetes/client-node informers against the sim', () => {
  let lab: TestLab | undefined;
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
  });

  function client(l: TestLab) {
    const kc = new KubeConfig();
    kc.loadFromFile(l.kubeconfig);
    return { kc, core: kc.makeApiClient(CoreV1Api) };
  }

  it('sees objects added, updated and deleted', async () => {
    lab = await startTestLab();
    const { kc, core } = client(lab);
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('before') });
    const informer = makeInformer(kc, '/api/v1/namespaces/default/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const seen: string[] = [];
    const record = (verb: string) => (o: KubernetesObject) => seen.push(`${verb}:${o.metadata?.name}`);
    informer.on('add', record('add'));
    informer.on('update', record('update'));
    informer.on('delete', record('delete'));
    await informer.start();
    try {
      await until('the initial list', () => seen.includes('add:before'));
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('web') });
      await core.patchNamespacedConfigMap({
        name: 'web',
        namespace: 'default',
        body: [{ op: 'add', path: '/data', value: { color: 'blue' } }],
      });
      await core.deleteNamespacedConfigMap({ name: 'web', namespace: 'default' });
      await until('add, update and delete of web', () => seen.includes('delete:web'));
      expect(seen.filter((s) => s.endsWith(':web'))).toEqual(['add:web', 'update:web', 'delete:web']);
      expect(informer.list('default').map((o) => o.metadata?.name)).toContain('before');
      expect(informer.get('web', 'default')).toBeUndefined();
    } finally {
      await informer.stop();
    }
  });

  it('relists after its resourceVersion is compacted away (410 Gone) and ends up with the current state', async () => {
    // A tiny watch history and short server-side watch timeouts make the informer resume
    // from a resourceVersion the server no longer has.
    lab = await startTestLab({ historySize: 5, minRequestTimeoutMs: 400 });
    const { kc, core } = client(lab);
    let lists = 0;
    const informer = makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'default' });
    });
    const names = () => new Set(informer.list('default').map((o) => o.metadata?.name));
    const errors: unknown[] = [];
    informer.on('error', (e) => {
      errors.push(e);
      setTimeout(() => void informer.start(), 100);
    });
    let connects = 0;
    informer.on('connect', () => connects++);
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('kept') });
      await until('kept in the cache', () => names().has('kept'));
      // Writes the informer does not watch push its resourceVersion out of the history…
      for (let i = 0; i < 20; i++) {
        await core.createNamespacedConfigMap({
          namespace: 'kube-public',
          body: cm(`noise-${i}`, 'kube-public'),
        });
      }
      // …and a change to its own objects happens while it is between watches.
      const store = lab.sim.cluster.store;
      const rvAtStart = store.resourceVersion;
      await until('a reconnect after the server ended the watch', () => connects >= 2, 10_000);
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('after-gone') });
      await core.deleteNamespacedConfigMap({ name: 'kept', namespace: 'default' });
      await until('the informer to converge on the current state', () => {
        const n = names();
        return n.has('after-gone') && !n.has('kept');
      });
      expect(store.resourceVersion).toBeGreaterThan(rvAtStart);
      // The resumed watch got 410 Gone, so the informer listed again instead of erroring.
      expect(lists).toBeGreaterThanOrEqual(2);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('a watch from a compacted resourceVersion gets an ERROR event with 410 Expired', async () => {
    lab = await startTestLab({ historySize: 3 });
    const { core } = client(lab);
    const first = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('a') });
    for (let i = 0; i < 5; i++)
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm(`b${i}`) });
    const res = await apiRequest(
      lab,
      'GET',
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.metadata!.resourceVersion}`,
    );
    const event = JSON.parse(res.body.trim().split('\n')[0]!);
    expect(res.status).toBe(200);
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(event.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });
});
