import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/** mulberry32: a small seeded PRNG, so every run sends the same inputs. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  what: string;
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
}

const VALID_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
};

function deep(depth: number): string {
  return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

function cases(seed: number, count: number): Case[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const text = JSON.stringify(VALID_POD);
  const gens: Array<() => Case> = [
    () => ({
      what: 'truncated JSON',
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: text.slice(0, 1 + Math.floor(rnd() * (text.length - 2))),
    }),
    () => ({
      what: 'random bytes',
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256))),
    }),
    () => ({
      what: 'malformed YAML',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: 'apiVersion: v1\nkind: [ConfigMap\n  metadata: {',
      contentType: 'application/yaml',
    }),
    () => ({
      what: 'wrong kind for the resource',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ ...VALID_POD, metadata: { name: `k${Math.floor(rnd() * 1e6)}` } }),
    }),
    () => ({
      what: 'wrong apiVersion',
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: JSON.stringify({ ...VALID_POD, apiVersion: pick(['apps/v1', 'v2', '', 'v1beta1']) }),
    }),
    () => ({
      what: 'invalid name',
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: JSON.stringify({
        ...VALID_POD,
        metadata: {
          name: pick(['UPPER', 'under_score', '-lead', 'a'.repeat(254), 'dot..dot', 'sp ace', '💥']),
        },
      }),
    }),
    () => ({
      what: 'huge name',
      method: 'POST',
      path: '/api/v1/namespaces',
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'n'.repeat(1000 + Math.floor(rnd() * 5000)) },
      }),
    }),
    () => ({
      what: 'deep nesting',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: deep(600 + Math.floor(rnd() * 5000)),
    }),
    () => ({
      what: 'wrong field types',
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: JSON.stringify({
        ...VALID_POD,
        metadata: { name: `t${Math.floor(rnd() * 1e6)}` },
        spec: pick([[], 'str', 7, { containers: 'x' }, { containers: [7] }, { containers: [{ name: 1 }] }]),
      }),
    }),
    () => ({
      what: 'metadata not an object',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: pick([[], 'x', 5, true]) }),
    }),
    () => ({
      what: 'body is not an object',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: pick(['[]', '"str"', '42', 'null', 'true']),
    }),
    () => ({
      what: 'bad label selector',
      method: 'GET',
      path: `/api/v1/pods?labelSelector=${encodeURIComponent(pick(['a in (b', '=x', 'a!!=b', '(', 'a,,b', '!']))}`,
    }),
    () => ({
      what: 'bad field selector',
      method: 'GET',
      path: `/api/v1/pods?fieldSelector=${encodeURIComponent(pick(['spec.nope=x', 'garbage', 'metadata.name']))}`,
    }),
    () => ({ what: 'bad limit', method: 'GET', path: `/api/v1/pods?limit=${pick(['abc', '1.5', '1e400'])}` }),
    () => ({
      what: 'bad continue token',
      method: 'GET',
      path: `/api/v1/pods?limit=1&continue=${pick(['garbage', 'eyJ2IjoxfQ', '%00'])}`,
    }),
    () => ({
      what: 'bad watch resourceVersion',
      method: 'GET',
      path: `/api/v1/pods?watch=true&resourceVersion=${pick(['abc', '-1', '1.5'])}`,
    }),
    () => ({
      what: 'unknown resource',
      method: 'GET',
      path: pick([
        '/api/v1/nopes',
        '/apis/nope.io/v1/things',
        '/api/v2/pods',
        '/apis/apps/v9/deployments',
        '/api/v1/namespaces/default/pods/x/nope',
      ]),
    }),
    () => ({
      what: 'patch with bad body',
      method: 'PATCH',
      path: '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      body: pick(['{', '[{"op":"nope","path":"/x"}]', '[{"op":"remove","path":"/nope/deeper"}]', '7']),
      contentType: pick([
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ]),
    }),
    () => ({
      what: 'patch with unknown content type',
      method: 'PATCH',
      path: '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      body: '{}',
      contentType: 'text/plain',
    }),
    () => ({
      what: 'create on a named path',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps/x',
      body: '{}',
    }),
    () => ({
      what: 'delete with bad options',
      method: 'DELETE',
      path: '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
      body: pick(['{"propagationPolicy":"Sideways"}', '{"gracePeriodSeconds":"soon"}', '{bad']),
    }),
  ];
  return Array.from({ length: count }, () => pick(gens)());
}

describe('bad input gets a clear 4xx and the server keeps serving', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab();
  });
  afterAll(() => lab?.stop());

  it('answers 300 seeded malformed requests with 4xx Status objects', async () => {
    const failures: string[] = [];
    for (const c of cases(20261122, 300)) {
      const r = await apiRequest(lab, c.method, c.path, {
        body: c.body,
        headers: c.body !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : undefined,
      });
      const label = `${c.what}: ${c.method} ${c.path.slice(0, 80)} → ${r.status}`;
      if (r.status < 400 || r.status >= 500) {
        failures.push(`${label} ${r.body.slice(0, 200)}`);
        continue;
      }
      let status: any;
      try {
        status = r.json();
      } catch {
        failures.push(`${label}: body is not JSON: ${r.body.slice(0, 100)}`);
        continue;
      }
      if (
        status.kind !== 'Status' ||
        status.code !== r.status ||
        typeof status.message !== 'string' ||
        !status.message
      ) {
        failures.push(`${label}: not a Status with a message: ${r.body.slice(0, 200)}`);
      }
      if (/at .*\.(ts|js):\d+/.test(status.message)) failures.push(`${label}: leaks a stack trace`);
    }
    expect(failures).toEqual([]);
  });

  it('rejects a body over 3 MiB with 413 and still serves afterwards', async () => {
    const big = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { x: 'y'.repeat(3 * 1024 * 1024 + 10) },
    });
    const r = await apiRequest(lab, 'POST', '/api/v1/namespaces/default/configmaps', { body: big });
    expect(r.status).toBe(413);
    const ok = await apiRequest(lab, 'GET', '/api/v1/namespaces/default/configmaps/kube-root-ca.crt');
    expect(ok.status).toBe(200);
  });

  it('still answers normally after all of it', async () => {
    const created = await apiRequest(lab, 'POST', '/api/v1/namespaces/default/pods', {
      body: JSON.stringify(VALID_POD),
    });
    expect(created.status).toBe(201);
    const pods = await apiRequest(lab, 'GET', '/api/v1/namespaces/default/pods');
    expect(pods.json().items.map((p: any) => p.metadata.name)).toEqual(['web']);
  });
});
