import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode, entry, int, k8sBody, msg, str } from '../fixtures/protobuf/encode.js';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/** The API server reading protobuf bodies on every path that takes one. */

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const headers = { 'content-type': PROTOBUF, accept: `${PROTOBUF}, application/json` };
const fixture = (name: string) =>
  fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'protobuf', `${name}.pb`));

describe('protobuf request bodies over HTTP', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab();
  });
  afterAll(() => lab?.stop());

  const post = (p: string, body: Buffer) => apiRequest(lab, 'POST', p, { body, headers });

  it('creates the object kubectl sent as protobuf and answers in JSON', async () => {
    const res = await post(
      '/api/v1/namespaces/default/configmaps?fieldValidation=Strict',
      fixture('configmap'),
    );
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ metadata: { name: 'settings' }, data: { mode: 'fast', level: '3' } });
  });

  it('replaces an object from a protobuf body, resourceVersion precondition included', async () => {
    const created = await post(
      '/api/v1/namespaces/default/configmaps',
      k8sBody('v1', 'ConfigMap', [msg(1, [str(1, 'replaced')]), entry(2, 'v', { bytes: '1' })]),
    );
    const rv = created.json().metadata.resourceVersion;
    const put = (version: string, value: string) =>
      apiRequest(lab, 'PUT', '/api/v1/namespaces/default/configmaps/replaced', {
        body: k8sBody('v1', 'ConfigMap', [
          msg(1, [str(1, 'replaced'), str(6, version)]),
          entry(2, 'v', { bytes: value }),
        ]),
        headers,
      });
    const res = await put(rv, '2');
    expect(res.status).toBe(200);
    expect(res.json().data).toEqual({ v: '2' });
    const stale = await put(rv, '3');
    expect(stale.status).toBe(409);
    expect(stale.json().reason).toBe('Conflict');
  });

  it('answers a broken body with a 400 Status naming the kind', async () => {
    const raw = encode([msg(1, [str(1, 'cut')]), entry(2, 'key', { bytes: 'value' })]);
    const res = await post(
      '/api/v1/namespaces/default/configmaps',
      k8sBody('v1', 'ConfigMap', raw.subarray(0, 12)),
    );
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF',
    });
    const body = fixture('configmap');
    const cutEnvelope = await post(
      '/api/v1/namespaces/default/configmaps',
      body.subarray(0, body.length - 12),
    );
    expect(cutEnvelope.status).toBe(400);
    expect(cutEnvelope.json().message).toBe('unable to decode the protobuf envelope: unexpected EOF');
    const notProtobuf = await post(
      '/api/v1/namespaces/default/configmaps',
      Buffer.from('{"kind":"ConfigMap"}'),
    );
    expect(notProtobuf.status).toBe(400);
    expect(notProtobuf.json().message).toBe(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  });

  it('warns about fields newer than its schema and keeps the rest', async () => {
    const body = k8sBody('v1', 'ConfigMap', [
      msg(1, [str(1, 'newer')]),
      entry(2, 'a', { bytes: 'b' }),
      str(42, '?'),
    ]);
    const res = await post('/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
    expect(res.status).toBe(201);
    expect(res.json().data).toEqual({ a: 'b' });
    expect(res.headers.warning).toContain('unknown field number 42 of ConfigMap was ignored');
  });

  it('reads protobuf DeleteOptions: preconditions and dry run', async () => {
    const created = await post(
      '/api/v1/namespaces/default/configmaps',
      k8sBody('v1', 'ConfigMap', [msg(1, [str(1, 'doomed')])]),
    );
    const uid = created.json().metadata.uid;
    const del = (options: Parameters<typeof k8sBody>[2]) =>
      apiRequest(lab, 'DELETE', '/api/v1/namespaces/default/configmaps/doomed', {
        body: k8sBody('meta.k8s.io/v1', 'DeleteOptions', options),
        headers,
      });
    const wrongUid = await del([msg(2, [str(1, 'not-the-uid')])]);
    expect(wrongUid.status).toBe(409);
    expect(wrongUid.json().message).toBe(
      `Operation cannot be fulfilled on configmaps "doomed": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${uid}`,
    );
    expect((await del([str(5, 'All')])).status).toBe(200);
    expect((await apiRequest(lab, 'GET', '/api/v1/namespaces/default/configmaps/doomed')).status).toBe(200);
    expect((await del([msg(2, [str(1, uid)]), int(1, 0)])).status).toBe(200);
    expect((await apiRequest(lab, 'GET', '/api/v1/namespaces/default/configmaps/doomed')).status).toBe(404);
  });

  it('reads a protobuf Binding on the pods/binding subresource', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unbound' },
      spec: { schedulerName: 'hand-scheduler', containers: [{ name: 'c', image: 'nginx' }] },
    };
    const made = await apiRequest(lab, 'POST', '/api/v1/namespaces/default/pods', {
      body: JSON.stringify(pod),
    });
    expect(made.status).toBe(201);
    const binding = k8sBody('v1', 'Binding', [
      msg(1, [str(1, 'unbound')]),
      msg(2, [str(1, 'Node'), str(3, 'lab-worker')]),
    ]);
    const res = await post('/api/v1/namespaces/default/pods/unbound/binding', binding);
    expect(res.status).toBe(201);
    const got = await apiRequest(lab, 'GET', '/api/v1/namespaces/default/pods/unbound');
    expect(got.json().spec.nodeName).toBe('lab-worker');
  });
});
