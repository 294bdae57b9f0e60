import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, type RawResponse } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/** resourceVersion, pagination, watch, finalizer and deletion semantics, at the HTTP level. */

const cm = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { k: name } });

describe('API semantics clients rely on', () => {
  let lab: TestLab;
  const req = (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<RawResponse> =>
    apiRequest(lab, method, path, {
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers,
    });
  const base = '/api/v1/namespaces/default/configmaps';

  beforeAll(async () => {
    lab = await startTestLab({ bookmarkIntervalMs: 200 });
  });
  afterAll(() => lab?.stop());

  it('rejects an update carrying a stale resourceVersion with 409 Conflict', async () => {
    const created = (await req('POST', base, cm('rv'))).json();
    const stale = structuredClone(created);
    expect((await req('PUT', `${base}/rv`, { ...created, data: { k: 'first' } })).status).toBe(200);
    const r = await req('PUT', `${base}/rv`, { ...stale, data: { k: 'second' } });
    expect(r.status).toBe(409);
    expect(r.json()).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "rv": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('does not change resourceVersion for an update that changes nothing', async () => {
    const created = (await req('POST', base, cm('same'))).json();
    const r = (await req('PUT', `${base}/same`, created)).json();
    expect(r.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('pages with limit/continue over the snapshot of the first page', async () => {
    for (let i = 0; i < 5; i++) await req('POST', base, cm(`page-${i}`, { labels: { paged: 'yes' } }));
    const first = (await req('GET', `${base}?labelSelector=paged%3Dyes&limit=2`)).json();
    expect(first.items.map((i: any) => i.metadata.name)).toEqual(['page-0', 'page-1']);
    expect(first.metadata.remainingItemCount).toBe(3);
    // A write between pages does not shift what the next pages return.
    await req('DELETE', `${base}/page-2`);
    const second = (
      await req('GET', `${base}?labelSelector=paged%3Dyes&limit=2&continue=${first.metadata.continue}`)
    ).json();
    expect(second.items.map((i: any) => i.metadata.name)).toEqual(['page-2', 'page-3']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const third = (
      await req('GET', `${base}?labelSelector=paged%3Dyes&limit=2&continue=${second.metadata.continue}`)
    ).json();
    expect(third.items.map((i: any) => i.metadata.name)).toEqual(['page-4']);
    expect(third.metadata.continue).toBeUndefined();
  });

  it('sends bookmarks to watches that allow them and ends a watch at timeoutSeconds', async () => {
    const started = Date.now();
    const r = await req(
      'GET',
      `${base}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=0`,
    );
    const events = r.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(events.some((e) => e.type === 'BOOKMARK' && /^\d+$/.test(e.object.metadata.resourceVersion))).toBe(
      true,
    );
    expect(events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name)).toContain(
      'kube-root-ca.crt',
    );
  });

  it('filters list and watch with label and field selectors, and reports unsupported fields as upstream does', async () => {
    await req('POST', base, cm('sel-a', { labels: { tier: 'web', env: 'prod' } }));
    await req('POST', base, cm('sel-b', { labels: { tier: 'db' } }));
    const names = async (q: string) =>
      (await req('GET', `${base}?${q}`)).json().items.map((i: any) => i.metadata.name);
    expect(await names('labelSelector=tier%20in%20(web,db)')).toEqual(['sel-a', 'sel-b']);
    expect(await names('labelSelector=tier%2C!env')).toEqual(['sel-b']);
    expect(await names('fieldSelector=metadata.name%3Dsel-a')).toEqual(['sel-a']);
    const bad = await req('GET', `${base}?fieldSelector=spec.nope%3Dx`);
    expect(bad.status).toBe(400);
    expect(bad.json().message).toBe('field label not supported: spec.nope');
  });

  it('keeps an object with finalizers until they are removed, then deletes it', async () => {
    await req('POST', base, cm('fin', { finalizers: ['example.com/hold'] }));
    const del = await req('DELETE', `${base}/fin`);
    expect(del.status).toBe(200);
    const held = (await req('GET', `${base}/fin`)).json();
    expect(held.metadata.deletionTimestamp).toMatch(/Z$/);
    const removed = await req(
      'PATCH',
      `${base}/fin`,
      { metadata: { finalizers: null } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    expect(removed.status).toBe(200);
    expect((await req('GET', `${base}/fin`)).status).toBe(404);
  });

  it('records the propagation policy as the finalizer the garbage collector acts on', async () => {
    await req('POST', base, cm('fg'));
    const deleted = await req('DELETE', `${base}/fg`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
    });
    const obj = deleted.json();
    expect(obj.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(obj.metadata.deletionTimestamp).toBeDefined();
    // With no dependents to wait for, the garbage collector then lets it go.
    await waitFor(async () => (await req('GET', `${base}/fg`)).status === 404);
  });

  it('does nothing for dryRun=All and fills generateName with a 5-character suffix', async () => {
    const dry = await req('POST', `${base}?dryRun=All`, cm('dry'));
    expect(dry.status).toBe(201);
    expect((await req('GET', `${base}/dry`)).status).toBe(404);
    const gen = (
      await req(
        'POST',
        base,
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'job-' } }),
      )
    ).json();
    expect(gen.metadata.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('turns a deleted namespace Terminating, refuses new content, then removes it', async () => {
    await req('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ending' },
    });
    await req(
      'POST',
      '/api/v1/namespaces/ending/configmaps',
      cm('held', { finalizers: ['example.com/hold'] }),
    );
    await req('DELETE', '/api/v1/namespaces/ending');
    const ns = (await req('GET', '/api/v1/namespaces/ending')).json();
    expect(ns.status.phase).toBe('Terminating');
    const refused = await req('POST', '/api/v1/namespaces/ending/configmaps', cm('late'));
    expect(refused.status).toBe(403);
    expect(refused.json().message).toBe(
      'configmaps "late" is forbidden: unable to create new content in namespace ending because it is being terminated',
    );
    await waitFor(async () => {
      const n = (await req('GET', '/api/v1/namespaces/ending')).json();
      return n.status?.conditions?.some(
        (c: any) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True',
      );
    });
    await req(
      'PATCH',
      '/api/v1/namespaces/ending/configmaps/held',
      { metadata: { finalizers: null } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    await waitFor(async () => (await req('GET', '/api/v1/namespaces/ending')).status === 404);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
