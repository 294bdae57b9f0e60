import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, body: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'default' },
  ...body,
});

describe.skipIf(!!skipReason)('Secrets, ServiceAccounts, quotas and limits through the real kubectl', () => {
  let core: CoreLab;
  beforeAll(async () => {
    core = await startCoreLab();
  });
  afterAll(() => core?.lab.stop());

  it('writes stringData into data as base64 and keeps no stringData', async () => {
    await core.write(
      'create',
      secret('creds', { data: { user: b64('admin') }, stringData: { password: 's3cret' } }),
    );
    const s = await core.json(['secret', 'creds']);
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ user: b64('admin'), password: b64('s3cret') });
    expect(s).not.toHaveProperty('stringData');
    const { stdout } = await core.kubectl(['get', 'secret', 'creds']);
    expect(tableRows(stdout)).toEqual([
      { NAME: 'creds', TYPE: 'Opaque', DATA: '2', AGE: expect.stringMatching(/^\d+s$/) },
    ]);
  });

  it('requires the keys of the built-in secret types', async () => {
    const tls = await core.write(
      'create',
      secret('tls', { type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'x' } }),
      true,
    );
    expect(tls.stderr.trim()).toBe('The Secret "tls" is invalid: data[tls.key]: Required value');
    const docker = await core.write(
      'create',
      secret('pull', { type: 'kubernetes.io/dockerconfigjson' }),
      true,
    );
    expect(docker.stderr.trim()).toBe(
      'The Secret "pull" is invalid: data[.dockerconfigjson]: Required value',
    );
    await core.write(
      'create',
      secret('pull', {
        type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': '{"auths":{}}' },
      }),
    );
  });

  it('keeps the type and immutable data fixed', async () => {
    await core.write('create', secret('frozen', { immutable: true, stringData: { a: '1' } }));
    const data = await core.kubectl(['patch', 'secret', 'frozen', '-p', `{"data":{"a":"${b64('2')}"}}`], {
      allowFail: true,
    });
    expect(data.stderr.trim()).toBe(
      'The Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
    const type = await core.kubectl(
      ['patch', 'secret', 'creds', '-p', '{"type":"kubernetes.io/basic-auth"}'],
      {
        allowFail: true,
      },
    );
    expect(type.stderr.trim()).toBe(
      'The Secret "creds" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    );
  });

  it('lists the default ServiceAccount every namespace gets', async () => {
    // The service account controller makes it shortly after the namespace exists.
    await core.kubectl(['wait', '--for=create', 'serviceaccount/default', '--timeout=20s']);
    const rows = tableRows((await core.kubectl(['get', 'sa'])).stdout);
    expect(rows.find((r) => r.NAME === 'default')).toEqual({
      NAME: 'default',
      SECRETS: '0',
      AGE: expect.any(String),
    });
  });

  it('prints quota usage per resource, limits apart', async () => {
    await core.write('create', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'default' },
      spec: { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '1024Mi' } },
    });
    expect((await core.json(['quota', 'compute'])).spec.hard['limits.memory']).toBe('1Gi');
    // Usage is the quota controller's to report; write a status as it would.
    await core.kubectl([
      'patch',
      'quota',
      'compute',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '1Gi' },
          used: { pods: '2', 'requests.cpu': '500m', 'limits.memory': '256Mi' },
        },
      }),
    ]);
    const { stdout } = await core.kubectl(['get', 'quota']);
    expect(tableRows(stdout)).toEqual([
      {
        NAME: 'compute',
        REQUEST: expect.stringMatching(/^pods: \d+\/10, requests\.cpu: \S+\/1$/),
        LIMIT: expect.stringMatching(/^limits\.memory: \S+\/1Gi$/),
        AGE: expect.any(String),
      },
    ]);
  });

  it('defaults container limits from a LimitRange and checks min against max', async () => {
    await core.write('create', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'cpu', namespace: 'default' },
      spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' } }] },
    });
    expect((await core.json(['limits', 'cpu'])).spec.limits[0]).toEqual({
      type: 'Container',
      max: { cpu: '1' },
      min: { cpu: '100m' },
      default: { cpu: '1' },
      defaultRequest: { cpu: '1' },
    });
    const { stdout } = await core.kubectl(['get', 'limits']);
    expect(tableRows(stdout)).toEqual([
      { NAME: 'cpu', 'CREATED AT': expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
    const bad = await core.write(
      'create',
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'bad', namespace: 'default' },
        spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '2' } }] },
      },
      true,
    );
    expect(bad.stderr.trim()).toContain(
      'spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1',
    );
  });
});
