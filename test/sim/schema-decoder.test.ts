import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/sim/kinds/registry.js';
import type { ResourceType } from '../../src/sim/kinds/types.js';
import { decodeBase64, parseRfc3339 } from '../../src/sim/schema/gocodecs.js';
import { goFloat } from '../../src/sim/schema/gofmt.js';
import { schemaServices } from '../../src/sim/schema/index.js';
import { ObjectStore } from '../../src/sim/store/store.js';
import type { KubeObject } from '../../src/sim/store/types.js';

const { decoder, models } = schemaServices(new Registry(), new ObjectStore());

const typeOf = (kind: string, group: string, schema: string): ResourceType =>
  ({ group, version: 'v1', kind, plural: `${kind.toLowerCase()}s`, schema }) as ResourceType;
const deployment = typeOf('Deployment', 'apps', 'V1Deployment');
const pod = typeOf('Pod', '', 'V1Pod');
const secret = typeOf('Secret', '', 'V1Secret');
const service = typeOf('Service', '', 'V1Service');

const decode = (type: ResourceType, obj: unknown) => decoder.decode(type, obj as KubeObject);

function deploymentWith(container: Record<string, unknown>, spec: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', ...container }] },
      },
      ...spec,
    },
  };
}

describe('typed decoding of built-in kinds', () => {
  it('names unknown fields by their full path, with list indices, and drops them', () => {
    const r = decode(deployment, deploymentWith({ image: 'nginx', imagex: 'typo' }, { foo: 1 }));
    expect(r.typeErrors).toEqual([]);
    expect(r.unknownFields).toEqual([
      'unknown field "spec.template.spec.containers[0].imagex"',
      'unknown field "spec.foo"',
    ]);
    const container = (r.object as any).spec.template.spec.containers[0];
    expect(container).toEqual({ name: 'nginx', image: 'nginx' });
    expect((r.object as any).spec.foo).toBeUndefined();
  });

  it('is case-sensitive, as the API server is', () => {
    const r = decode(pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, Spec: {} });
    expect(r.unknownFields).toEqual(['unknown field "Spec"']);
  });

  it("fails wrong types with Go's json wording: innermost struct, JSON path without indices, Go type", () => {
    const cases: Array<[unknown, string]> = [
      [
        deploymentWith({}, { replicas: 'two' }),
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        deploymentWith({}, { replicas: 1.5 }),
        'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        deploymentWith({ image: 5 }),
        'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
      ],
      [
        deploymentWith({ ports: [{ containerPort: '80' }] }),
        'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
      ],
      [
        deploymentWith({ args: 'run' }),
        'json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.args of type []string',
      ],
      [
        deploymentWith({}, { template: 'x' }),
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.template of type v1.PodTemplateSpec',
      ],
      [
        { ...(deploymentWith({}) as object), metadata: { name: 'web', labels: { app: 1 } } },
        'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
      ],
      [
        deploymentWith({ stdin: 'yes' }),
        'json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.stdin of type bool',
      ],
    ];
    for (const [obj, message] of cases) expect(decode(deployment, obj).typeErrors).toEqual([message]);
  });

  it('reports the first type error, not the unknown fields, when both occur', () => {
    const r = decode(deployment, deploymentWith({ imagex: 'a' }, { replicas: 'two' }));
    expect(r.typeErrors).toEqual([
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
  });

  it('stores quantities in canonical form and rejects malformed ones with the regexp message', () => {
    const r = decode(
      deployment,
      deploymentWith({ resources: { limits: { cpu: 1, memory: '1.5Gi' }, requests: { cpu: 0.5 } } }),
    );
    expect((r.object as any).spec.template.spec.containers[0].resources).toEqual({
      limits: { cpu: '1', memory: '1536Mi' },
      requests: { cpu: '500m' },
    });
    const bad = decode(deployment, deploymentWith({ resources: { limits: { memory: '1.5 gigs' } } }));
    expect(bad.typeErrors).toEqual([
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ]);
  });

  it('takes int-or-string values as int32 or string', () => {
    const svc = (targetPort: unknown) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort }] },
    });
    expect((decode(service, svc('http')).object as any).spec.ports[0].targetPort).toBe('http');
    expect((decode(service, svc(8080)).object as any).spec.ports[0].targetPort).toBe(8080);
    expect(decode(service, svc(80.5)).typeErrors).toEqual([
      'json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.targetPort of type int32',
    ]);
    expect(decode(service, svc(true)).typeErrors).toEqual([
      'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
    ]);
  });

  it('treats null as absent and writes times back in UTC seconds', () => {
    const r = decode(pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: null, deletionTimestamp: '2024-03-01T12:00:00.123+02:00' },
      spec: { containers: [{ name: 'c', image: 'busybox', command: null }] },
    });
    expect(r.typeErrors).toEqual([]);
    expect(r.object.metadata).toEqual({ name: 'p', deletionTimestamp: '2024-03-01T10:00:00Z' });
    expect((r.object as any).spec.containers[0]).toEqual({ name: 'c', image: 'busybox' });
  });

  it("fails malformed times with Go's time.Parse message", () => {
    const r = decode(pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', deletionTimestamp: 'yesterday' },
    });
    expect(r.typeErrors).toEqual([
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ]);
    expect(parseRfc3339('2024-13-01T00:00:00Z')).toEqual({
      error: 'parsing time "2024-13-01T00:00:00Z": month out of range',
    });
    expect(parseRfc3339('2024-02-30T00:00:00Z')).toEqual({
      error: 'parsing time "2024-02-30T00:00:00Z": day out of range',
    });
    expect(parseRfc3339('2024-02-03T00:00:00Zjunk')).toEqual({
      error: 'parsing time "2024-02-03T00:00:00Zjunk": extra text: "junk"',
    });
  });

  it("checks base64 bytes the way Go's StdEncoding does", () => {
    const sec = (data: Record<string, unknown>) =>
      decode(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect((sec({ a: 'aGVsbG8=' }).object as any).data).toEqual({ a: 'aGVsbG8=' });
    expect((sec({ a: 'aGVs\nbG8=' }).object as any).data).toEqual({ a: 'aGVsbG8=' });
    expect(sec({ a: 'hello!' }).typeErrors).toEqual(['illegal base64 data at input byte 5']);
    expect(sec({ a: 'aGVsbG8' }).typeErrors).toEqual(['illegal base64 data at input byte 4']);
    expect(sec({ a: 3 }).typeErrors).toEqual([
      'json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
    ]);
    expect(decodeBase64('aGk=x')).toEqual({ error: 'illegal base64 data at input byte 4' });
  });

  it('passes RawExtension-like fields through untouched', () => {
    const rev = typeOf('ControllerRevision', 'apps', 'V1ControllerRevision');
    const data = { anything: [1, null, { goes: true }] };
    const r = decode(rev, {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'r' },
      revision: 1,
      data,
    });
    expect(r.unknownFields).toEqual([]);
    expect((r.object as any).data).toEqual(data);
  });

  it('knows the Go package of every model a served kind reaches', () => {
    expect(models.packageOf('V1PodTemplateSpec')).toBe('io.k8s.api.core.v1');
    expect(models.packageOf('V1DeploymentSpec')).toBe('io.k8s.api.apps.v1');
    expect(models.packageOf('V1ObjectMeta')).toBe('io.k8s.apimachinery.pkg.apis.meta.v1');
    expect(models.packageOf('V1Scale')).toBe('io.k8s.api.autoscaling.v1');
    expect(models.packageOf('V1JSONSchemaProps')).toBe(
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
    );
  });

  it('prints floats the way Go prints them in messages', () => {
    expect([3, 1.5, 1e6, 1234567, 0.00001, 123456].map(goFloat)).toEqual([
      '3',
      '1.5',
      '1e+06',
      '1.234567e+06',
      '1e-05',
      '123456',
    ]);
  });
});
