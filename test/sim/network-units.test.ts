import { describe, expect, it } from 'vitest';
import { candidates, lookupExact, podSearchPath } from '../../src/sim/network/dns.js';
import { policyAllows } from '../../src/sim/network/policy.js';
import { milliCPUToQuota, milliCPUToShares, sharesToWeight } from '../../src/sim/node/view/cgroup-values.js';
import { ObjectStore } from '../../src/sim/store/store.js';

/** The pure parts of the network and node view: NetworkPolicy rules, DNS names, kubelet's numbers. */

function store() {
  const s = new ObjectStore();
  const ns = (name: string, labels: Record<string, string>) =>
    s.create('core/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  ns('shop', { team: 'web' });
  ns('tools', { team: 'ops' });
  return s;
}

const pod = (
  namespace: string,
  name: string,
  ip: string,
  labels: Record<string, string>,
  ports: any[] = [],
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name, labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', ports }] },
  status: { podIP: ip },
});

const policy = (namespace: string, name: string, spec: object) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { namespace, name },
  spec,
});

describe('NetworkPolicy evaluation', () => {
  const db = pod('shop', 'db', '10.244.1.5', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]);
  const api = pod('shop', 'api', '10.244.2.7', { app: 'api' });
  const ops = pod('tools', 'debug', '10.244.2.9', { app: 'debug' });
  const at = (p: any) => ({ ip: p.status.podIP, pod: p, nodeName: p.spec.nodeName });

  it('allows everything until a policy selects the pod, then only what a rule allows', () => {
    const s = store();
    expect(policyAllows(s, at(api), at(db), 5432)).toBe(true);
    s.create(
      'networking.k8s.io/networkpolicies',
      policy('shop', 'db', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'pg' }] },
          { from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] },
          {
            from: [{ ipBlock: { cidr: '10.244.3.0/24', except: ['10.244.3.9/32'] } }],
            ports: [{ port: 5000, endPort: 5100 }],
          },
        ],
      }),
    );
    expect(policyAllows(s, at(api), at(db), 5432)).toBe(true);
    expect(policyAllows(s, at(api), at(db), 80)).toBe(false);
    expect(policyAllows(s, at(api), at(db), 5432, 'UDP')).toBe(false);
    expect(policyAllows(s, at(ops), at(db), 22)).toBe(true);
    expect(policyAllows(s, { ip: '10.244.3.4' }, at(db), 5050)).toBe(true);
    expect(policyAllows(s, { ip: '10.244.3.9' }, at(db), 5050)).toBe(false);
    expect(policyAllows(s, { ip: '10.244.3.4' }, at(db), 5200)).toBe(false);
    // The pod's own node always gets through (kubelet probes).
    expect(policyAllows(s, { ip: '172.18.0.2', nodeName: 'n1' }, at(db), 80)).toBe(true);
  });

  it('restricts egress on the sender too, DNS included unless a rule allows it', () => {
    const s = store();
    s.create(
      'networking.k8s.io/networkpolicies',
      policy('shop', 'egress', {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }],
      }),
    );
    expect(policyAllows(s, at(api), at(db), 5432)).toBe(true);
    expect(policyAllows(s, at(api), at(ops), 80)).toBe(false);
    expect(
      policyAllows(
        s,
        at(api),
        { ip: '10.244.0.3', pod: pod('kube-system', 'coredns', '10.244.0.3', {}) },
        53,
        'UDP',
      ),
    ).toBe(false);
  });
});

describe('cluster DNS names', () => {
  it('tries the search path first for short names (ndots 5), the name itself first for long ones', () => {
    expect(candidates('web', podSearchPath('shop'))).toEqual([
      'web.shop.svc.cluster.local',
      'web.svc.cluster.local',
      'web.cluster.local',
      'web',
    ]);
    expect(candidates('a.b.c.d.e.f', ['x'])).toEqual(['a.b.c.d.e.f', 'a.b.c.d.e.f.x']);
    expect(candidates('web.shop.svc.cluster.local.', ['x'])).toEqual(['web.shop.svc.cluster.local']);
  });

  it('answers Services, headless endpoints and dashed pod names as CoreDNS does', () => {
    const s = store();
    s.create('core/services', {
      metadata: { namespace: 'shop', name: 'web' },
      spec: { clusterIP: '10.96.4.2' },
    });
    s.create('core/services', { metadata: { namespace: 'shop', name: 'db' }, spec: { clusterIP: 'None' } });
    s.create('core/endpoints', {
      metadata: { namespace: 'shop', name: 'db' },
      subsets: [
        {
          addresses: [
            { ip: '10.244.1.6', hostname: 'db-1' },
            { ip: '10.244.1.5', hostname: 'db-0' },
          ],
        },
      ],
    });
    expect(lookupExact(s, 'web.shop.svc.cluster.local')?.addresses).toEqual(['10.96.4.2']);
    expect(lookupExact(s, 'db.shop.svc.cluster.local')?.addresses).toEqual(['10.244.1.5', '10.244.1.6']);
    expect(lookupExact(s, 'db-1.db.shop.svc.cluster.local')?.addresses).toEqual(['10.244.1.6']);
    expect(lookupExact(s, '10-244-1-9.shop.pod.cluster.local')?.addresses).toEqual(['10.244.1.9']);
    expect(lookupExact(s, 'nope.shop.svc.cluster.local')).toBeUndefined();
  });
});

describe("kubelet's cgroup numbers", () => {
  it('turns CPU requests into shares and cpu.weight, and limits into a quota', () => {
    expect([0, 100, 250, 500, 1000, 4000].map(milliCPUToShares)).toEqual([2, 102, 256, 512, 1024, 4096]);
    expect([2, 102, 256, 1024, 4096, 262144].map(sharesToWeight)).toEqual([1, 4, 10, 39, 157, 10000]);
    expect([1, 5, 500, 1500].map((m) => milliCPUToQuota(m))).toEqual([1000, 1000, 50000, 150000]);
  });
});
