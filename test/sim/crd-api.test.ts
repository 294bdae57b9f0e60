import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/http.js';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';
import { MEMCACHED_CRD, memcachedCrdYaml, memcachedYaml } from './crd-fixtures.js';
import { eventually } from './crd-support.js';

/**
 * What a custom resource's API does beyond the tutorial flow: tables (also on watch), the
 * status subresource, patch types, selectors, collections, CRD validation and name conflicts.
 */

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'the CRD API suite drives the real kubectl');

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const BASE = '/apis/cache.example.com/v1alpha1/namespaces/default/memcacheds';

const widgetCrd = (edit: (s: string) => string = (s) => s) =>
  edit(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Cluster
  versions:
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              color: {type: string}
  - name: v1
    served: true
    storage: true
    selectableFields:
    - jsonPath: .spec.color
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              color: {type: string}
`);

describe.skipIf(!!skip)('custom resource API', () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  const create = (yaml: string, opts: { allowFail?: boolean } = {}) =>
    kubectl(['create', '-f', '-'], { input: yaml, ...opts });
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    apiRequest(lab, method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers,
    });

  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin!, lab.kubeconfig);
    await create(memcachedCrdYaml);
    await create(widgetCrd());
    await kubectl([
      'wait',
      '--for',
      'condition=established',
      `crd/${MEMCACHED_CRD}`,
      'crd/widgets.example.com',
    ]);
    await create(memcachedYaml('cache1', 1));
  });
  afterAll(() => lab?.stop());

  it('serves Tables with the printer columns as upstream describes them', async () => {
    const table = (await request('GET', BASE, undefined, { accept: TABLE })).json();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: any) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Size', 'integer', '', 0],
      ['Ready', 'string', '', 0],
      ['Port', 'integer', '', 1],
      ['Age', 'date', '', 0],
    ]);
    expect(table.columnDefinitions[1].description).toBe(
      'Custom resource definition column (in JSONPath format): .spec.size',
    );
    expect(table.rows[0].cells.slice(0, 4)).toEqual(['cache1', 1, null, 11211]);
    expect(table.rows[0].cells[4]).toMatch(/^\d+s$/);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
  });

  it('gives a CRD without printer columns NAME and AGE', async () => {
    await create('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {color: red}\n');
    const rows = (await kubectl(['get', 'widgets'])).stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME\s+AGE$/);
    expect(rows[1]).toMatch(/^w1\s+\d+s$/);
  });

  it('sends Tables on watch, with headers only in the first event', async () => {
    const r = await request('GET', `${BASE}?watch=1&resourceVersion=0&timeoutSeconds=1`, undefined, {
      accept: TABLE,
    });
    const events = r.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0].type).toBe('ADDED');
    expect(events[0].object.kind).toBe('Table');
    expect(events[0].object.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Size',
      'Ready',
      'Port',
      'Age',
    ]);
    expect(events[0].object.rows[0].cells[0]).toBe('cache1');
  });

  it('keeps status out of main writes and spec out of /status writes; generation counts spec changes', async () => {
    const current = (await request('GET', `${BASE}/cache1`)).json();
    const withStatus = { ...current, spec: { ...current.spec, size: 2 }, status: { replicas: 9 } };
    const updated = (await request('PUT', `${BASE}/cache1`, withStatus)).json();
    expect(updated.spec.size).toBe(2);
    expect(updated.status).toBeUndefined();
    expect(updated.metadata.generation).toBe(current.metadata.generation + 1);

    const statusPatch = { spec: { size: 3 }, status: { replicas: 2 } };
    const patched = (
      await request('PATCH', `${BASE}/cache1/status`, statusPatch, {
        'content-type': 'application/merge-patch+json',
      })
    ).json();
    expect(patched.status.replicas).toBe(2);
    expect(patched.spec.size).toBe(2);
    expect(patched.metadata.generation).toBe(updated.metadata.generation);
    const scale = (await request('GET', `${BASE}/cache1/scale`)).json();
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 2 },
    });
  });

  it('answers strategic merge patches with 415, as upstream does for custom resources', async () => {
    const r = await kubectl(
      ['patch', 'memcached', 'cache1', '--type=strategic', '-p', '{"spec":{"size":1}}'],
      {
        allowFail: true,
      },
    );
    expect(r.stderr.trim()).toBe(
      // kubectl names the type the server refused the patch type for.
      'error: application/strategic-merge-patch+json is not supported by cache.example.com/v1alpha1, Kind=Memcached: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    const json = await kubectl([
      'patch',
      'mc',
      'cache1',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/size","value":1}]',
    ]);
    expect(json.stdout.trim()).toBe('memcached.cache.example.com/cache1 patched');
    const ssa = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], {
      input: memcachedYaml('cache1', 3),
    });
    expect(ssa.stdout.trim()).toBe('memcached.cache.example.com/cache1 serverside-applied');
    expect((await kubectl(['get', 'mc', 'cache1', '-o', 'jsonpath={.spec.size}'])).stdout).toBe('3');
  });

  it('selects by metadata fields and by the CRD’s selectableFields', async () => {
    await create(memcachedYaml('cache2', 1));
    const byName = await kubectl(['get', 'mc', '--field-selector', 'metadata.name=cache2', '-o', 'name']);
    expect(byName.stdout.trim()).toBe('memcached.cache.example.com/cache2');
    const bad = await kubectl(['get', 'mc', '--field-selector', 'spec.size=1'], { allowFail: true });
    expect(bad.stderr.trim()).toBe(
      'Error from server (BadRequest): Unable to find "cache.example.com/v1alpha1, Resource=memcacheds" that match label selector "", field selector "spec.size=1": field label not supported: spec.size',
    );

    await create('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {color: blue}\n');
    const blue = await kubectl(['get', 'widgets', '--field-selector', 'spec.color=blue', '-o', 'name']);
    expect(blue.stdout.trim()).toBe('widget.example.com/w2');
  });

  it('serves every served version from one stored object (conversion strategy None)', async () => {
    const old = (await request('GET', '/apis/example.com/v1beta1/widgets/w1')).json();
    expect(old.apiVersion).toBe('example.com/v1beta1');
    expect(old.spec.color).toBe('red');
    const list = (await request('GET', '/apis/example.com/v1beta1/widgets')).json();
    expect(list.kind).toBe('WidgetList');
    expect(list.items.map((i: any) => i.apiVersion)).toEqual(['example.com/v1beta1', 'example.com/v1beta1']);
  });

  it('deletes a collection', async () => {
    const r = await kubectl(['delete', 'widgets', '--all']);
    expect(r.stdout.trim().split('\n')).toEqual([
      'widget.example.com "w1" deleted',
      'widget.example.com "w2" deleted',
    ]);
  });

  it('rejects invalid CRDs with upstream’s messages', async () => {
    const bad = async (edit: (s: string) => string) =>
      (await create(widgetCrd(edit), { allowFail: true })).stderr.trim();
    expect(await bad((s) => s.replace('name: widgets.example.com', 'name: gadgets.example.com'))).toBe(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group',
    );
    const twoStorage = (await bad((s) => s.replace('storage: false', 'storage: true'))).split('\n');
    expect(twoStorage[0]).toBe('The CustomResourceDefinition "widgets.example.com" is invalid: ');
    expect(twoStorage[1]).toMatch(
      /^\* spec\.versions: Invalid value: \[\]apiextensions\.CustomResourceDefinitionVersion\{apiextensions\.CustomResourceDefinitionVersion\{Name:"v1beta1", Served:true, Storage:true, .*\}: must have exactly one version marked as storage version$/,
    );
    // The first storage version is recorded as stored before validation, as upstream does.
    expect(twoStorage[2]).toBe(
      '* status.storedVersions: Invalid value: []string{"v1beta1"}: must have the storage version v1',
    );
    expect(await bad((s) => s.replace('scope: Cluster', 'scope: Global'))).toBe(
      'The CustomResourceDefinition "widgets.example.com" is invalid: spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    );
    expect(await bad((s) => s.replace('color: {type: string}', 'color: {description: the color}'))).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[color].type: Required value: must not be empty for specified object fields',
    );
    expect(
      await bad((s) =>
        s.replace('names: {kind: Widget, plural: widgets}', 'names: {kind: Widget, plural: Widgets}'),
      ),
    ).toContain(
      "spec.names.plural: Invalid value: \"Widgets\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  });

  it('leaves a CRD whose names are taken unestablished, with the conflict in its conditions', async () => {
    const clash = memcachedCrdYaml
      .replace('name: memcacheds.cache.example.com', 'name: caches.cache.example.com')
      .replace('kind: Memcached', 'kind: Cache')
      .replace('plural: memcacheds', 'plural: caches');
    await create(clash);
    const conditions = await eventually(
      kubectl,
      [
        'get',
        'crd',
        'caches.cache.example.com',
        '-o',
        'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}/{.message};{end}',
      ],
      (out) => out.includes('NamesAccepted'),
    );
    expect(conditions).toBe(
      'NamesAccepted=False/ShortNamesConflict/"mc" is already in use;Established=False/NotAccepted/not all names are accepted;',
    );
    const resources = (await kubectl(['api-resources', '--api-group=cache.example.com'])).stdout;
    expect(resources).not.toMatch(/^caches\s/m);
  });

  it('keeps a terminating CRD while an instance has a finalizer, refusing new instances', async () => {
    await kubectl([
      'patch',
      'mc',
      'cache2',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":["example.com/hold"]}}',
    ]);
    await kubectl(['delete', 'crd', MEMCACHED_CRD, '--wait=false']);
    const terminating = await eventually(
      kubectl,
      ['get', 'crd', MEMCACHED_CRD, '-o', 'jsonpath={.status.conditions[?(@.type=="Terminating")].reason}'],
      (out) => out === 'InstanceDeletionInProgress',
    );
    expect(terminating).toBe('InstanceDeletionInProgress');
    const refused = await create(memcachedYaml('cache9', 1), { allowFail: true });
    expect(refused.stderr.trim()).toBe(
      'Error from server (MethodNotAllowed): error when creating "STDIN": create not allowed while custom resource definition is terminating',
    );
    expect((await kubectl(['get', 'mc', '-o', 'name'])).stdout.trim()).toBe(
      'memcached.cache.example.com/cache2',
    );

    await kubectl(['patch', 'mc', 'cache2', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await kubectl(['wait', '--for=delete', `crd/${MEMCACHED_CRD}`, '--timeout=20s']);
    expect((await kubectl(['get', 'crd', '-o', 'name'])).stdout.trim().split('\n')).toEqual([
      'customresourcedefinition.apiextensions.k8s.io/caches.cache.example.com',
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com',
    ]);
    // The short name it held is free now, so the CRD that wanted it gets established.
    await kubectl([
      'wait',
      '--for',
      'condition=established',
      'crd/caches.cache.example.com',
      '--timeout=20s',
    ]);
    expect((await kubectl(['api-resources', '--api-group=cache.example.com'])).stdout).toMatch(
      /^caches\s+mc\s+cache\.example\.com\/v1alpha1\s+true\s+Cache$/m,
    );
  });
});
