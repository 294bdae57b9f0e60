import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBuiltins } from '../../src/sim/kinds/index.js';
import { Registry } from '../../src/sim/kinds/registry.js';
import type { ResourceType } from '../../src/sim/kinds/types.js';
import { schemaServices } from '../../src/sim/schema/index.js';
import { ObjectStore } from '../../src/sim/store/store.js';
import { apiRequest } from '../helpers/http.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';

const widget = (schema: unknown): ResourceType =>
  ({
    group: 'example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    singular: 'widget',
    listKind: 'WidgetList',
    namespaced: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    storage: 'example.com/widgets',
    statusSubresource: false,
    generation: true,
    custom: { crdName: 'widgets.example.com', schema, preserveUnknownFields: false },
  }) as ResourceType;

const widgetSchema = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
};

function services() {
  const registry = new Registry();
  registerBuiltins(registry);
  const schema = schemaServices(registry, new ObjectStore());
  schema.start();
  return { registry, openapi: schema.openapi };
}

type Doc = { paths: Record<string, any>; components: { schemas: Record<string, any> } };

/** The PATCH operation of a path, and the parameters and content types kubectl looks at. */
function patchOf(doc: Doc, path: string) {
  const op = doc.paths[path]?.patch;
  return {
    gvk: op?.['x-kubernetes-group-version-kind'],
    queryParams: (op?.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name),
    contentTypes: Object.keys(op?.requestBody?.content ?? {}).sort(),
  };
}

describe('OpenAPI v3 documents', () => {
  it('indexes every served group-version under a content hash', () => {
    const { registry, openapi } = services();
    const index = openapi.v3Index() as { paths: Record<string, { serverRelativeURL: string }> };
    const expected = registry
      .groups()
      .flatMap((g) => g.versions.map((v) => (g.name ? `apis/${g.name}/${v}` : `api/${v}`)));
    expect(Object.keys(index.paths).sort()).toEqual(expected.sort());
    for (const [key, { serverRelativeURL }] of Object.entries(index.paths)) {
      expect(serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{128}$`));
      const doc = openapi.v3Document(key);
      const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
      expect(serverRelativeURL.endsWith(hash)).toBe(true);
    }
  });

  it('describes every served kind the way kubectl explain looks it up', () => {
    const { registry, openapi } = services();
    const missing: string[] = [];
    for (const t of registry.all()) {
      const doc = openapi.v3Document(t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`) as Doc;
      const gvk = { group: t.group, kind: t.kind, version: t.version };
      // explain finds the GVK on an operation of the resource's path, then the component carrying it.
      const base = `${t.group ? `/apis/${t.group}` : '/api'}/${t.version}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
      const ops = [doc.paths[base], doc.paths[`${base}/{name}`]].flatMap((p) => Object.values(p ?? {}));
      const onPath = ops.some(
        (op: any) => JSON.stringify(op?.['x-kubernetes-group-version-kind']) === JSON.stringify(gvk),
      );
      const component = Object.values(doc.components.schemas).find((s: any) =>
        (s['x-kubernetes-group-version-kind'] ?? []).some(
          (g: any) => g.group === gvk.group && g.kind === gvk.kind && g.version === gvk.version,
        ),
      );
      if (!onPath || !component?.properties) missing.push(`${t.plural}.${t.group}/${t.version}`);
    }
    expect(missing).toEqual([]);
  });

  it('lets kubectl find fieldValidation and strategic merge patch on built-in kinds', () => {
    const doc = services().openapi.v3Document('apis/apps/v1') as Doc;
    expect(patchOf(doc, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')).toEqual({
      gvk: { group: 'apps', kind: 'Deployment', version: 'v1' },
      queryParams: ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
      contentTypes: [
        'application/apply-patch+yaml',
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ],
    });
    expect(patchOf(doc, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale').gvk).toEqual({
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
  });

  it('names components after Go packages and marks kinds with their GVK', () => {
    const { schemas } = (services().openapi.v3Document('apis/apps/v1') as Doc).components;
    expect(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    expect(schemas['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'DeploymentList', version: 'v1' },
    ]);
    const template = schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.template;
    expect(template.$ref ?? template.allOf?.[0]?.$ref).toBe(
      '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec',
    );
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']).toBeDefined();
  });

  it('publishes the strategic-merge metadata the patch engine uses', () => {
    const { schemas } = (services().openapi.v3Document('api/v1') as Doc).components;
    expect(schemas['io.k8s.api.core.v1.PodSpec'].properties.containers).toMatchObject({
      type: 'array',
      items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' }] },
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(
      schemas['io.k8s.api.core.v1.PodSpec'].properties.tolerations['x-kubernetes-patch-strategy'],
    ).toBeUndefined();
  });

  it('publishes custom resources with their schema, without strategic merge patch, and follows CRD changes', () => {
    const { registry, openapi } = services();
    const before = openapi.v3Index() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(before.paths['apis/example.com/v1']).toBeUndefined();

    registry.register(widget(widgetSchema));
    const first = openapi.v3Index() as typeof before;
    const doc = openapi.v3Document('apis/example.com/v1') as Doc;
    expect(patchOf(doc, '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}')).toEqual({
      gvk: { group: 'example.com', kind: 'Widget', version: 'v1' },
      queryParams: ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
      contentTypes: [
        'application/apply-patch+yaml',
        'application/json-patch+json',
        'application/merge-patch+json',
      ],
    });
    const component = doc.components.schemas['com.example.v1.Widget'];
    expect(component['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.com', kind: 'Widget', version: 'v1' },
    ]);
    expect(component.properties.spec).toEqual(widgetSchema.properties.spec);
    expect(component.properties.metadata.allOf).toEqual([
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    ]);
    expect(doc.components.schemas['com.example.v1.WidgetList'].properties.items.items).toEqual({
      $ref: '#/components/schemas/com.example.v1.Widget',
    });

    registry.unregister('example.com', 'v1', 'widgets');
    registry.register(widget({ ...widgetSchema, description: 'changed' }));
    const second = openapi.v3Index() as typeof before;
    expect(second.paths['apis/example.com/v1']).not.toEqual(first.paths['apis/example.com/v1']);
    expect(second.paths['api/v1']).toEqual(first.paths['api/v1']);

    registry.unregister('example.com', 'v1', 'widgets');
    expect((openapi.v3Index() as typeof before).paths['apis/example.com/v1']).toBeUndefined();
    expect(openapi.v3Document('apis/example.com/v1')).toBeUndefined();
  });
});

describe('OpenAPI over HTTP', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab({ nodes: 1 });
  });
  afterAll(() => lab?.stop());

  it('serves the v3 index and documents as JSON', async () => {
    const index = await apiRequest(lab, 'GET', '/openapi/v3');
    expect(index.status).toBe(200);
    const url = index.json().paths['api/v1'].serverRelativeURL as string;
    const doc = await apiRequest(lab, 'GET', url);
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toBe('application/json');
    expect(doc.json().openapi).toBe('3.0.0');
  });

  it('serves a valid gnostic OpenAPI v2 document in protobuf, as kubectl 1.27 and 1.28 require', async () => {
    const res = await apiRequest(lab, 'GET', '/openapi/v2', {
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    // Field 1 (swagger) is a 3-byte string: "2.0".
    expect([...Buffer.from(res.body, 'latin1').subarray(0, 5)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30]);
  });
});
