/**
 * `endpoints.RepackSubsets`: the one-address-one-port subsets the Endpoints controller builds
 * are regrouped so that addresses offering the same set of ports share one subset.
 */

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** One (address, port) pair; `port` is absent for headless Services without ports. */
export interface AddressEntry {
  address: EndpointAddress;
  ready: boolean;
  port?: EndpointPort;
}

const addressKey = (a: EndpointAddress) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined) =>
  p ? `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol}\u0000${p.appProtocol ?? ''}` : '';

const ipNumber = (ip: string) => {
  const p = ip.split('.');
  return p.length === 4 ? ((+p[0]! * 256 + +p[1]!) * 256 + +p[2]!) * 256 + +p[3]! : 0;
};

/** Addresses sorted by IP then target (`LessEndpointAddress`), each IP parsed once. */
function sortAddresses(list: EndpointAddress[]): EndpointAddress[] {
  return list
    .map((a) => ({ a, n: ipNumber(a.ip), uid: a.targetRef?.uid ?? '' }))
    .sort((x, y) => x.n - y.n || (x.uid < y.uid ? -1 : x.uid > y.uid ? 1 : 0))
    .map((x) => x.a);
}

const byPort = (a: EndpointPort, b: EndpointPort) =>
  (a.name ?? '') !== (b.name ?? '') ? ((a.name ?? '') < (b.name ?? '') ? -1 : 1) : a.port - b.port;

export function repackSubsets(entries: AddressEntry[]): any[] {
  // Port → the addresses offering it (and whether each is ready).
  const byPortKey = new Map<string, { port?: EndpointPort; addrs: Map<string, AddressEntry> }>();
  for (const e of entries) {
    const k = portKey(e.port);
    let group = byPortKey.get(k);
    if (!group) {
      group = { port: e.port, addrs: new Map() };
      byPortKey.set(k, group);
    }
    group.addrs.set(addressKey(e.address), e);
  }
  // Ports offered by exactly the same addresses (with the same readiness) share a subset.
  const sets: Array<{ addrs: Map<string, AddressEntry>; ports: EndpointPort[] }> = [];
  const sameAddresses = (a: Map<string, AddressEntry>, b: Map<string, AddressEntry>) => {
    if (a.size !== b.size) return false;
    for (const [k, e] of a) if (b.get(k)?.ready !== e.ready) return false;
    return true;
  };
  for (const g of byPortKey.values()) {
    let set = sets.find((s) => sameAddresses(s.addrs, g.addrs));
    if (!set) {
      set = { addrs: g.addrs, ports: [] };
      sets.push(set);
    }
    if (g.port) set.ports.push(g.port);
  }
  const subsets = sets.map(({ addrs: byKey, ports }) => {
    const addrs = [...byKey.values()];
    const ready = addrs.filter((a) => a.ready).map((a) => a.address);
    const notReady = addrs.filter((a) => !a.ready).map((a) => a.address);
    const ss: Record<string, unknown> = {};
    if (ready.length) ss.addresses = sortAddresses(ready);
    if (notReady.length) ss.notReadyAddresses = sortAddresses(notReady);
    if (ports.length) ss.ports = ports.sort(byPort);
    return ss;
  });
  const first = (ss: any) => (ss.addresses ?? ss.notReadyAddresses)?.[0]?.ip ?? '';
  return subsets.sort((a, b) => ipNumber(first(a)) - ipNumber(first(b)));
}
