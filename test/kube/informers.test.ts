import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchReply } from '../../src/checks/env.js';
import { startEvaluation } from '../../src/checks/evaluator.js';
import { connect, type KubeConnection, UnknownKindError } from '../../src/kube/index.js';
import { checksFrom, until, verdicts } from '../checks/support.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/** src/kube against a real API server (the sim), with the real client-node informers. */

let lab: TestLab;
let kube: KubeConnection;
beforeAll(async () => {
  lab = await startTestLab();
  kube = connect(lab.kubeconfig, { lingerMs: 20, retryMinMs: 50, retryMaxMs: 200 });
});
afterAll(async () => {
  await kube?.close();
  await lab?.stop();
});

async function post(path: string, body: object) {
  const r = await kube.client.request('POST', path, { body: JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`POST ${path}: ${r.status} ${r.body}`);
  return r;
}

describe('kube: discovery, raw requests, shared informers', () => {
  it('resolves kinds the way kubectl does, and says when the server has none', async () => {
    expect(await kube.discovery.resolve('apps/v1', 'Deployment')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      resource: 'deployments',
      namespaced: true,
    });
    expect((await kube.discovery.resolve('v1', 'Node')).namespaced).toBe(false);
    await expect(kube.discovery.resolve('v1', 'Deployment')).rejects.toThrow(
      new UnknownKindError('the API server has no kind "Deployment" in v1'),
    );
    await expect(kube.discovery.resolve('example.com/v1', 'Widget')).rejects.toThrow(
      'the API server does not serve example.com/v1',
    );
  });

  it('returns API errors as statuses with the server’s words', async () => {
    const r = await kube.client.request('GET', '/api/v1/namespaces/default/configmaps/nope');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).message).toBe('configmaps "nope" not found');
  });

  it('one informer per kind and namespace, however many checks share it; stopped when the last lets go', async () => {
    const a = kube.informers.acquire(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' },
      () => undefined,
    );
    const b = kube.informers.acquire(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' },
      () => undefined,
    );
    const c = kube.informers.acquire(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system' },
      () => undefined,
    );
    expect(kube.informers.size).toBe(2);
    await until('synced', () => a.synced && c.synced);
    expect(c.list().map((o) => o.metadata?.name)).toContain('kube-root-ca.crt');
    a.release();
    b.release();
    c.release();
    await until('the informers to stop', () => kube.informers.size === 0);
  });

  it('a check turns green on the watch event that makes it true', async () => {
    const v = verdicts();
    const ev = startEvaluation(
      checksFrom(`- id: color
  description: color is blue
  resource: { apiVersion: v1, kind: ConfigMap, namespace: default, name: web }
  expect: [{ path: "{.data.color}", equals: blue }]`),
      {
        watch: (k, f) => kube.informers.acquire(k, f),
        nodes: async () => [],
        podExec: kube.podExec,
        apiRequest: (m, p, o) => kube.client.request(m, p, o),
        fetch: fetchReply,
        capabilities: new Set(),
      },
      v.emit,
    );
    try {
      await until('the first verdict', () => v.last('color'));
      expect(v.last('color')?.actual).toBe('ConfigMap default/web does not exist');
      await post('/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'web' },
        data: { color: 'red' },
      });
      await until('red', () => v.last('color')?.actual.includes('red'));
      await kube.client.request('PATCH', '/api/v1/namespaces/default/configmaps/web', {
        body: JSON.stringify({ data: { color: 'blue' } }),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      await until('blue', () => v.last('color')?.ok);
    } finally {
      ev.stop();
    }
  });

  it('closed between its list and its watch, an informer leaves no watch open', async () => {
    // client-node's ListWatch opens its watch after the list even when stopped meanwhile; an
    // open watch keeps a process (clusterlab start, after quitting) from ending. Seen from the
    // API server: the watch request arrives, and its response must end.
    const server = (lab.sim.server as unknown as { server: https.Server }).server;
    let watchEnded: boolean | undefined;
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.includes('/namespaces/default/secrets?') || !req.url.includes('watch=true')) return;
      watchEnded = false;
      res.once('close', () => {
        watchEnded = true;
      });
    };
    server.on('request', onRequest);
    const k = connect(lab.kubeconfig);
    const getJson = k.client.getJson.bind(k.client);
    let closed: Promise<void> | undefined;
    k.client.getJson = (async (p: string) => {
      const r = await getJson(p);
      if (p.endsWith('/namespaces/default/secrets')) closed ??= k.close();
      return r;
    }) as typeof k.client.getJson;
    try {
      k.informers.acquire({ apiVersion: 'v1', kind: 'Secret', namespace: 'default' }, () => undefined);
      await until('the list', () => closed);
      await closed;
      await until('the watch request', () => watchEnded !== undefined);
      await until('the watch to be closed by the client', () => watchEnded);
    } finally {
      server.off('request', onRequest);
    }
  });

  it('a kind that a CRD adds later is watched once it exists', async () => {
    const handle = kube.informers.acquire(
      { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'default' },
      () => undefined,
    );
    try {
      await until('the failure', () => handle.error);
      expect(handle.error).toBe('the API server does not serve example.com/v1');
      await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      });
      await until(
        'the CRD to be served',
        async () => (await kube.client.request('GET', '/apis/example.com/v1')).status === 200 || undefined,
        10_000,
      );
      await post('/apis/example.com/v1/namespaces/default/widgets', {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w1' },
      });
      await until(
        'the widget in the cache',
        () => handle.list().some((o) => o.metadata?.name === 'w1'),
        10_000,
      );
      expect(handle.error).toBeUndefined();
    } finally {
      handle.release();
    }
  });
});
