import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipToInt, parseCidr } from '../../src/sim/allocator.js';
import type { Kubectl } from '../helpers/kubectl.js';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

const svc = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec,
});

describe.skipIf(!!skipReason)('Services through the real kubectl', () => {
  let core: CoreLab;
  let kubectl: Kubectl;
  beforeAll(async () => {
    core = await startCoreLab();
    kubectl = core.kubectl;
    const web = { app: 'web' };
    await core.write('create', [
      svc('web', { selector: web, ports: [{ port: 80, targetPort: 8080 }] }),
      svc('web-np', { type: 'NodePort', selector: web, ports: [{ port: 80, nodePort: 30080 }] }),
      svc('web-lb', { type: 'LoadBalancer', selector: web, ports: [{ port: 443 }] }),
      svc('web-headless', { clusterIP: 'None', selector: web, ports: [{ port: 80 }] }),
      svc('db-external', { type: 'ExternalName', externalName: 'db.example.com' }),
    ]);
  });
  afterAll(() => core?.lab.stop());

  it('prints the upstream columns for each type with -o wide', async () => {
    const { stdout } = await kubectl(['get', 'svc', '-o', 'wide']);
    expect(stdout.split('\n')[0]).toMatch(
      /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/,
    );
    const byName = new Map(tableRows(stdout).map((r) => [r.NAME, r]));
    const row = (name: string, cells: Record<string, unknown>) =>
      expect(byName.get(name)).toEqual({ NAME: name, AGE: expect.stringMatching(/^\d+s$/), ...cells });
    const clusterIP = expect.stringMatching(/^10\.96\.\d+\.\d+$/);
    row('kubernetes', {
      TYPE: 'ClusterIP',
      'CLUSTER-IP': '10.96.0.1',
      'EXTERNAL-IP': '<none>',
      'PORT(S)': '443/TCP',
      SELECTOR: '<none>',
    });
    row('web', {
      TYPE: 'ClusterIP',
      'CLUSTER-IP': clusterIP,
      'EXTERNAL-IP': '<none>',
      'PORT(S)': '80/TCP',
      SELECTOR: 'app=web',
    });
    row('web-np', {
      TYPE: 'NodePort',
      'CLUSTER-IP': clusterIP,
      'EXTERNAL-IP': '<none>',
      'PORT(S)': '80:30080/TCP',
      SELECTOR: 'app=web',
    });
    row('web-lb', {
      TYPE: 'LoadBalancer',
      'CLUSTER-IP': clusterIP,
      'EXTERNAL-IP': '<pending>',
      'PORT(S)': expect.stringMatching(/^443:3\d{4}\/TCP$/),
      SELECTOR: 'app=web',
    });
    row('web-headless', {
      TYPE: 'ClusterIP',
      'CLUSTER-IP': 'None',
      'EXTERNAL-IP': '<none>',
      'PORT(S)': '80/TCP',
      SELECTOR: 'app=web',
    });
    row('db-external', {
      TYPE: 'ExternalName',
      'CLUSTER-IP': '<none>',
      'EXTERNAL-IP': 'db.example.com',
      'PORT(S)': '<none>',
      SELECTOR: '<none>',
    });
  });

  it('selects Services by type and cluster IP', async () => {
    const names = async (selector: string) =>
      (await kubectl(['get', 'svc', '--field-selector', selector, '-o', 'name'])).stdout.trim().split('\n');
    expect(await names('spec.type=NodePort')).toEqual(['service/web-np']);
    expect(await names('spec.clusterIP=None')).toEqual(['service/web-headless']);
  });

  it('fills in what a real API server defaults', async () => {
    const { stdout } = await kubectl(['get', 'svc', 'web-np', '-o', 'json']);
    const spec = JSON.parse(stdout).spec;
    expect(spec).toMatchObject({
      type: 'NodePort',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      externalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP', nodePort: 30080 }],
    });
    expect(spec.clusterIPs).toEqual([spec.clusterIP]);
    const headless = (await core.json(['svc', 'web-headless'])).spec;
    expect(headless).toMatchObject({
      clusterIP: 'None',
      clusterIPs: ['None'],
      ipFamilyPolicy: 'SingleStack',
    });
    const ext = (await core.json(['svc', 'db-external'])).spec;
    expect(ext.clusterIP).toBeUndefined();
    expect(ext.ipFamilies).toBeUndefined();
  });

  it('hands out distinct ClusterIPs from the service CIDR and takes them back on delete', async () => {
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    for (const n of names) await core.write('create', svc(n, { ports: [{ port: 80 }] }));
    const { stdout } = await kubectl([
      'get',
      'svc',
      '-o',
      'jsonpath={range .items[*]}{.spec.clusterIP}{"\\n"}{end}',
    ]);
    const ips = stdout
      .trim()
      .split('\n')
      .filter((ip) => ip !== 'None' && ip !== '');
    expect(new Set(ips).size).toBe(ips.length);
    const range = parseCidr('10.96.0.0/16');
    for (const ip of ips) {
      expect(ipToInt(ip)).toBeGreaterThan(range.base);
      expect(ipToInt(ip)).toBeLessThan(range.base + range.size - 1);
    }
    // An address given back can be asked for by name again.
    const a1 = (await kubectl(['get', 'svc', 'a1', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
    await kubectl(['delete', 'svc', 'a1']);
    await core.write('create', svc('a1-again', { clusterIP: a1, ports: [{ port: 80 }] }));
    expect((await kubectl(['get', 'svc', 'a1-again', '-o', 'jsonpath={.spec.clusterIP}'])).stdout).toBe(a1);
    // …while one in use cannot.
    const taken = await core.write('create', svc('a7', { clusterIP: a1, ports: [{ port: 80 }] }), true);
    expect(taken.stderr.trim()).toBe(
      `The Service "a7" is invalid: spec.clusterIPs: Invalid value: []string{"${a1}"}: failed to allocate IP ${a1}: provided IP is already allocated`,
    );
  });

  it('takes NodePorts back on delete', async () => {
    await core.write('create', svc('np1', { type: 'NodePort', ports: [{ port: 80, nodePort: 31111 }] }));
    const clash = await core.write(
      'create',
      svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 31111 }] }),
      true,
    );
    expect(clash.stderr.trim()).toBe(
      'The Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 31111: provided port is already allocated',
    );
    await kubectl(['delete', 'svc', 'np1']);
    await core.write('create', svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 31111 }] }));
  });

  it('drops and frees the NodePort when a Service turns ClusterIP', async () => {
    await kubectl(['patch', 'svc', 'np2', '--type=merge', '-p', '{"spec":{"type":"ClusterIP"}}']);
    const spec = (await core.json(['svc', 'np2'])).spec;
    expect(spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    expect(spec.externalTrafficPolicy).toBeUndefined();
    await core.write('create', svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 31111 }] }));
    // And back: a NodePort Service gets a port allocated on update.
    await kubectl(['patch', 'svc', 'np2', '--type=merge', '-p', '{"spec":{"type":"NodePort"}}']);
    const back = (await core.json(['svc', 'np2'])).spec;
    expect(back.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(back.ports[0].nodePort).not.toBe(31111);
    expect(back.externalTrafficPolicy).toBe('Cluster');
  });

  it('requires port names once there are two ports, with upstream wording', async () => {
    const r = await core.write('create', svc('two', { ports: [{ port: 80 }, { port: 443 }] }), true);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'The Service "two" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value',
    );
  });

  it('rejects the same port twice', async () => {
    const r = await core.write(
      'create',
      svc('dup', {
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 80 },
        ],
      }),
      true,
    );
    expect(r.stderr.trim()).toBe(
      'The Service "dup" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    );
  });

  it('keeps the ClusterIP immutable but lets a re-apply leave it out', async () => {
    await core.write('create', svc('applied', { selector: { app: 'x' }, ports: [{ port: 80 }] }));
    const ip = (await kubectl(['get', 'svc', 'applied', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
    // Replacing and applying without the allocated values keeps them.
    await core.write('replace', svc('applied', { selector: { app: 'y' }, ports: [{ port: 80 }] }));
    expect((await kubectl(['get', 'svc', 'applied', '-o', 'jsonpath={.spec.clusterIP}'])).stdout).toBe(ip);
    await core.write('apply', svc('applied', { selector: { app: 'z' }, ports: [{ port: 80 }] }));
    expect((await kubectl(['get', 'svc', 'applied', '-o', 'jsonpath={.spec.clusterIP}'])).stdout).toBe(ip);
    const r = await core.write(
      'apply',
      svc('applied', { clusterIP: '10.96.5.5', selector: { app: 'z' }, ports: [{ port: 80 }] }),
      true,
    );
    expect(r.stderr.trim()).toBe(
      'The Service "applied" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.5.5"}: may not change once set',
    );
  });

  it('serves the kubernetes Service endpoints the way kind shows them', async () => {
    const ep = await kubectl(['get', 'endpoints', 'kubernetes']);
    expect(ep.stderr.trim()).toBe(
      'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
    );
    expect(tableRows(ep.stdout)).toEqual([
      { NAME: 'kubernetes', ENDPOINTS: '172.18.0.2:6443', AGE: expect.any(String) },
    ]);
    const slice = await core.json(['endpointslices', 'kubernetes']);
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      metadata: { labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    });
  });
});
