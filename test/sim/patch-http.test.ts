import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

/**
 * The patch engines at the HTTP level, as any client (not only kubectl) reaches them: the
 * strategic-merge-patch content type, server-side apply on custom resources with list types
 * from their CRD schema, apply on the status subresource, and managedFields on dry runs.
 */

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const GADGETS = '/apis/example.com/v1/namespaces/default/gadgets';

const gadgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Gadget', plural: 'gadgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  ports: {
                    type: 'array',
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': ['name'],
                    items: {
                      type: 'object',
                      required: ['name'],
                      properties: { name: { type: 'string' }, port: { type: 'integer' } },
                    },
                  },
                  tags: { type: 'array', items: { type: 'string' } },
                },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
};

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.25' },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    },
  },
};

describe('patches over HTTP', () => {
  let lab: TestLab;
  const send = (method: string, path: string, body: unknown, contentType = 'application/json') =>
    apiRequest(lab, method, path, { body: JSON.stringify(body), headers: { 'content-type': contentType } });
  const apply = (path: string, body: unknown, manager: string, extra = '') =>
    send('PATCH', `${path}?fieldManager=${manager}${extra}`, body, 'application/apply-patch+yaml');

  beforeAll(async () => {
    lab = await startTestLab();
    expect(
      (await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gadgetCrd)).status,
    ).toBe(201);
    const deadline = Date.now() + 10_000;
    while ((await apiRequest(lab, 'GET', GADGETS)).status !== 200) {
      if (Date.now() > deadline) throw new Error('the Gadget resource was never served');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(() => lab?.stop());

  it('merges containers by name for application/strategic-merge-patch+json', async () => {
    expect((await send('POST', DEPLOYMENTS, deployment)).status).toBe(201);
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'web', image: 'nginx:1.27' },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    };
    const res = await send('PATCH', `${DEPLOYMENTS}/web`, patch, 'application/strategic-merge-patch+json');
    expect(res.status).toBe(200);
    const containers = res.json().spec.template.spec.containers;
    expect(containers.map((c: any) => [c.name, c.image, c.imagePullPolicy])).toEqual([
      ['web', 'nginx:1.27', 'IfNotPresent'],
    ]);
  });

  it('answers a bad strategic patch with a 500 Status that has no reason, as upstream', async () => {
    const res = await send(
      'PATCH',
      `${DEPLOYMENTS}/web`,
      { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
      'application/strategic-merge-patch+json',
    );
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 500,
      message: 'map: map[image:x] does not contain declared merge key: name',
    });
  });

  it('records managedFields on a dry-run create, and stores nothing', async () => {
    const res = await send('POST', `${DEPLOYMENTS}?dryRun=All&fieldManager=planner`, {
      ...deployment,
      metadata: { name: 'dry' },
    });
    expect(res.status).toBe(201);
    expect(res.json().metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'planner', operation: 'Update', apiVersion: 'apps/v1' }),
    ]);
    expect((await apiRequest(lab, 'GET', `${DEPLOYMENTS}/dry`)).status).toBe(404);
  });

  it('refuses strategic merge patches on custom resources', async () => {
    const created = await apply(
      `${GADGETS}/g1`,
      { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' } },
      'a',
    );
    expect(created.status).toBe(201);
    const res = await send('PATCH', `${GADGETS}/g1`, { spec: {} }, 'application/strategic-merge-patch+json');
    expect(res.status).toBe(415);
  });

  it('merges map lists of custom resources by their CRD keys and keeps atomic lists whole', async () => {
    const gadget = (spec: unknown) => ({
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g2' },
      spec,
    });
    expect(
      (await apply(`${GADGETS}/g2`, gadget({ ports: [{ name: 'a', port: 1 }], tags: ['x'] }), 'first'))
        .status,
    ).toBe(201);
    const second = await apply(`${GADGETS}/g2`, gadget({ ports: [{ name: 'b', port: 2 }] }), 'second');
    expect(second.status).toBe(200);
    expect(second.json().spec).toEqual({
      ports: [
        { name: 'a', port: 1 },
        { name: 'b', port: 2 },
      ],
      tags: ['x'],
    });
    expect(second.json().metadata.managedFields.find((e: any) => e.manager === 'second').fieldsV1).toEqual({
      'f:spec': { 'f:ports': { 'k:{"name":"b"}': { '.': {}, 'f:name': {}, 'f:port': {} } } },
    });

    const conflict = await apply(`${GADGETS}/g2`, gadget({ tags: ['y'] }), 'second');
    expect(conflict.status).toBe(409);
    expect(conflict.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "first": .spec.tags',
      reason: 'Conflict',
      details: {
        causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.spec.tags' }],
      },
      code: 409,
    });
  });

  it('applies to the status subresource under its own manager entry', async () => {
    const status = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g1' },
      status: { ready: true },
    };
    const res = await apply(`${GADGETS}/g1/status`, status, 'gadget-controller');
    expect(res.status).toBe(200);
    expect(res.json().status).toEqual({ ready: true });
    expect(
      res.json().metadata.managedFields.find((e: any) => e.manager === 'gadget-controller'),
    ).toMatchObject({
      operation: 'Apply',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:ready': {} } },
    });
  });
});
