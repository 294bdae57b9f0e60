import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, messageNameOf, ProtobufBodyError } from '../../src/sim/protobuf/envelope.js';
import { goDuration } from '../../src/sim/protobuf/wellknown.js';
import { encode, entry, int, k8sBody, msg, type PbField, str, varint } from '../fixtures/protobuf/encode.js';

const decode = (apiVersion: string, kind: string, fields: PbField[]) =>
  decodeProtobufBody(k8sBody(apiVersion, kind, fields));

/** ObjectMeta as gogo writes it for a new object: every non-pointer field, zero or not. */
const meta = (name: string, extra: PbField[] = []): PbField =>
  msg(1, [
    str(1, name),
    str(2, ''),
    str(3, ''),
    str(4, ''),
    str(5, ''),
    str(6, ''),
    int(7, 0),
    msg(8, []),
    ...extra,
  ]);

function container(fields: PbField[]): PbField {
  return msg(2, [str(1, 'app'), str(2, 'nginx'), str(5, ''), msg(8, []), int(16, false), ...fields]);
}

describe('protobuf bodies: zero values', () => {
  it('keeps zero in pointer fields and drops it where JSON omitempty would', () => {
    const { object } = decode('apps/v1', 'Deployment', [
      meta('web'),
      msg(2, [
        int(1, 0), // replicas: *int32
        msg(3, [msg(1, []), msg(2, [container([])])]),
        msg(4, []), // strategy: a struct, written even when empty
        int(5, 0), // minReadySeconds: int32 omitempty
        int(7, false), // paused: bool omitempty
      ]),
      msg(3, []),
    ]);
    expect(object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: null },
      spec: {
        replicas: 0,
        template: {
          metadata: {},
          spec: { containers: [{ name: 'app', image: 'nginx', resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('keeps the pointer zeros of a pod spec: grace period, token mount, run-as, toleration seconds', () => {
    const { object } = decode('v1', 'Pod', [
      meta('p'),
      msg(2, [
        container([]),
        int(4, 0), // terminationGracePeriodSeconds
        int(11, false), // hostNetwork
        msg(14, [int(2, 0)]), // securityContext.runAsUser
        int(21, false), // automountServiceAccountToken
        msg(22, [str(1, 'k'), str(2, 'Exists'), str(3, ''), str(4, 'NoExecute'), int(5, 0)]),
      ]),
    ]);
    expect((object as any).spec).toEqual({
      containers: [{ name: 'app', image: 'nginx', resources: {} }],
      terminationGracePeriodSeconds: 0,
      securityContext: { runAsUser: 0 },
      automountServiceAccountToken: false,
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }],
    });
  });

  it('keeps the pointer zeros of a job: backoffLimit and parallelism', () => {
    const { object } = decode('batch/v1', 'Job', [meta('j'), msg(2, [int(1, 0), int(2, 0), int(7, 0)])]);
    expect((object as any).spec).toEqual({ parallelism: 0, completions: 0, backoffLimit: 0 });
  });

  it('writes zero in fields whose JSON tag has no omitempty', () => {
    const { object } = decode('v1', 'Service', [
      meta('s'),
      msg(2, [msg(1, [str(1, ''), str(2, 'TCP'), int(3, 0), msg(4, [int(1, 0), int(2, 0), str(3, '')])])]),
    ]);
    expect((object as any).spec.ports).toEqual([{ protocol: 'TCP', port: 0, targetPort: 0 }]);
  });
});

describe('protobuf bodies: apimachinery types in their JSON form', () => {
  it('writes Time as RFC 3339 seconds and MicroTime with microseconds', () => {
    const { object } = decode('v1', 'Event', [
      meta('e', [msg(9, [int(1, 1714564800)])]),
      msg(6, [int(1, 1714564800), int(2, 999_000_000)]), // firstTimestamp: nanos are dropped
      msg(7, []),
      msg(10, [int(1, 1714564800), int(2, 123_456_789)]),
      str(14, ''),
    ]);
    expect(object).toMatchObject({
      metadata: { deletionTimestamp: '2024-05-01T12:00:00Z', creationTimestamp: null },
      firstTimestamp: '2024-05-01T12:00:00Z',
      lastTimestamp: null,
      eventTime: '2024-05-01T12:00:00.123456Z',
      reportingComponent: '',
    });
  });

  it('writes IntOrString as a number or a string', () => {
    const { object } = decode('v1', 'Service', [
      meta('s'),
      msg(2, [
        msg(1, [str(1, 'a'), int(3, 80), msg(4, [int(1, 0), int(2, 8080), str(3, '')])]),
        msg(1, [str(1, 'b'), int(3, 81), msg(4, [int(1, 1), int(2, 0), str(3, 'http')])]),
      ]),
    ]);
    expect((object as any).spec.ports.map((p: any) => p.targetPort)).toEqual([8080, 'http']);
  });

  it('writes quantities as strings and bytes as base64', () => {
    const quota = decode('v1', 'ResourceQuota', [
      meta('q'),
      msg(2, [entry(1, 'cpu', { bytes: [str(1, '500m')] }), entry(1, 'pods', { bytes: [] })]),
    ]);
    expect((quota.object as any).spec.hard).toEqual({ cpu: '500m', pods: '0' });
    const secret = decode('v1', 'Secret', [
      meta('s'),
      entry(2, 'pass', { bytes: 's3cr=t' }),
      str(3, 'Opaque'),
    ]);
    expect((secret.object as any).data).toEqual({ pass: Buffer.from('s3cr=t').toString('base64') });
  });

  it('writes Go durations the way time.Duration prints them', () => {
    expect(
      [0n, 999n, 1000n, 1_500_000n, 1_500_000_000n, 90_000_000_000n, 3_600_000_000_000n, -2_000_000_000n].map(
        goDuration,
      ),
    ).toEqual(['0s', '999ns', '1µs', '1.5ms', '1.5s', '1m30s', '1h0m0s', '-2s']);
  });

  it('parses RawExtension and FieldsV1 as JSON, and an embedded protobuf object too', () => {
    const inner = k8sBody('v1', 'ConfigMap', [meta('inner'), entry(2, 'a', { bytes: 'b' })]);
    const json = decode('apps/v1', 'ControllerRevision', [
      meta('r', [msg(17, [str(1, 'kubectl'), msg(7, [str(1, '{"f:data":{}}')])])]),
      msg(2, [str(1, '{"spec":{"x":1}}')]),
      int(3, 2),
    ]);
    expect(json.object).toMatchObject({
      metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': {} } }] },
      data: { spec: { x: 1 } },
      revision: 2,
    });
    const embedded = decode('apps/v1', 'ControllerRevision', [meta('r'), msg(2, [[1, { bytes: inner }]])]);
    expect((embedded.object as any).data).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'inner', creationTimestamp: null },
      data: { a: 'b' },
    });
  });
});

describe('protobuf bodies: structure', () => {
  it('merges inlined structs into their parent, as JSON does', () => {
    const { object } = decode('v1', 'Pod', [
      meta('p'),
      msg(2, [
        msg(1, [str(1, 'cfg'), msg(2, [msg(19, [msg(1, [str(1, 'settings')])])])]),
        container([
          msg(10, [msg(1, [msg(2, [str(1, '/healthz'), msg(2, [int(1, 0), int(2, 80)])])]), int(2, 0)]),
        ]),
      ]),
    ]);
    const spec = (object as any).spec;
    expect(spec.volumes).toEqual([{ name: 'cfg', configMap: { name: 'settings' } }]);
    expect(spec.containers[0].livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 80 } });
  });

  it('reads repeated numbers packed or not', () => {
    const packed = Uint8Array.from([...varint(1000), ...varint(2000)]);
    const a = decode('v1', 'Pod', [meta('p'), msg(2, [msg(14, [int(4, 1000), int(4, 2000)])])]);
    const b = decode('v1', 'Pod', [meta('p'), msg(2, [msg(14, [[4, { bytes: packed }]])])]);
    expect((a.object as any).spec.securityContext.supplementalGroups).toEqual([1000, 2000]);
    expect((b.object as any).spec.securityContext.supplementalGroups).toEqual([1000, 2000]);
  });

  it('writes slice-typed messages (ExtraValue) as arrays', () => {
    const { object } = decode('authorization.k8s.io/v1', 'SubjectAccessReview', [
      meta('r'),
      msg(2, [str(3, 'ann'), entry(5, 'scopes', { bytes: [str(1, 'a'), str(1, 'b')] })]),
    ]);
    expect((object as any).spec).toEqual({ user: 'ann', extra: { scopes: ['a', 'b'] } });
  });

  it('keeps map keys as plain data, __proto__ included', () => {
    const { object } = decode('v1', 'ConfigMap', [meta('c', [entry(11, '__proto__', { bytes: 'x' })])]);
    const labels = (object as any).metadata.labels;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(JSON.stringify(labels)).toBe('{"__proto__":"x"}');
  });

  it('skips fields it does not know and says which', () => {
    const { object, warnings } = decode('v1', 'ConfigMap', [
      meta('c'),
      entry(2, 'a', { bytes: 'b' }),
      str(99, 'x'),
    ]);
    expect((object as any).data).toEqual({ a: 'b' });
    expect(warnings).toEqual(['unknown field number 99 of ConfigMap was ignored']);
  });

  it('finds the message of an apiVersion and kind', () => {
    expect(messageNameOf('v1', 'Pod')).toBe('k8s.io.api.core.v1.Pod');
    expect(messageNameOf('rbac.authorization.k8s.io/v1', 'Role')).toBe('k8s.io.api.rbac.v1.Role');
    expect(messageNameOf('networking.k8s.io/v1', 'Ingress')).toBe('k8s.io.api.networking.v1.Ingress');
    expect(messageNameOf('apps/v1', 'DeleteOptions')).toBe(
      'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
    );
    expect(messageNameOf('example.com/v1', 'Widget')).toBeUndefined();
  });
});

describe('protobuf bodies: malformed input', () => {
  const bad = (body: Uint8Array) => () => decodeProtobufBody(body);

  it('wants the k8s magic prefix', () => {
    expect(bad(Buffer.from('{"kind":"Pod"}'))).toThrow(
      new ProtobufBodyError(
        'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
      ),
    );
  });

  it('names the kind when the object is cut short or mistyped', () => {
    const body = k8sBody('v1', 'ConfigMap', [meta('c'), entry(2, 'a', { bytes: 'b' })]);
    const cut = encode([meta('c')]).subarray(0, 5);
    expect(bad(k8sBody('v1', 'ConfigMap', cut))).toThrow(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF',
    );
    expect(bad(k8sBody('v1', 'ConfigMap', [int(1, 5)]))).toThrow(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field metadata',
    );
    expect(bad(body.subarray(0, body.length - 3))).toThrow(ProtobufBodyError);
  });

  it('refuses kinds it has no schema for', () => {
    expect(bad(k8sBody('example.com/v1', 'Widget', []))).toThrow(
      'no kind "Widget" is registered for version "example.com/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    );
  });

  it('refuses a RawExtension that is neither JSON nor protobuf, and objects embedded without end', () => {
    expect(bad(k8sBody('apps/v1', 'ControllerRevision', [meta('r'), msg(2, [str(1, '{oops')])]))).toThrow(
      /cannot be handled as a ControllerRevision: the embedded object is not JSON/,
    );
    let nested: Uint8Array = k8sBody('v1', 'ConfigMap', []);
    for (let i = 0; i < 20; i++)
      nested = k8sBody('apps/v1', 'ControllerRevision', [msg(2, [[1, { bytes: nested }]])]);
    expect(bad(nested)).toThrow(/embed each other too deep/);
  });
});
