import { intToIp, parseCidr } from '../../allocator.js';
import { stableHex, stableMac, stableUuid } from './identity.js';
import type { NodeModel } from './node-model.js';

/**
 * Interfaces and routes as `ip addr`, `ip link` and `ip route` print them, on a kind node
 * with kindnet and in its pods. kindnet's CNI config runs the `ptp` plugin: each pod gets a
 * veth pair, `eth0` inside with its address in the node's pod CIDR, `veth<8 hex>` on the node
 * holding the gateway address (`.1/32`) and a host route to the pod; kindnetd adds a route to
 * every other node's pod CIDR via that node's IP.
 */

export interface Iface {
  index: number;
  name: string;
  /** `@if<N>`: the peer's index in the other namespace. */
  peer?: number;
  mac: string;
  mtu: number;
  loopback?: boolean;
  inet?: { address: string; prefix: number; brd?: string; scope: 'host' | 'global' };
  /** `link-netns <name>` on the node's side of a pod's veth. */
  netns?: string;
}

export interface Route {
  text: string;
}

const LO: Iface = {
  index: 1,
  name: 'lo',
  mac: '00:00:00:00:00:00',
  mtu: 65536,
  loopback: true,
  inet: { address: '127.0.0.1', prefix: 8, scope: 'host' },
};

function broadcast(ip: string, prefix: number): string {
  const { base, size } = parseCidr(`${ip}/${prefix}`);
  return intToIp(base + size - 1);
}

/** A pod's veth: its node-side index (pods in sandbox order after lo and eth0). */
export function podVeths(model: NodeModel): Map<string, Iface> {
  const out = new Map<string, Iface>();
  let index = 3;
  const gw = model.source.node.spec?.podCIDR
    ? intToIp(parseCidr(model.source.node.spec.podCIDR).base + 1)
    : '';
  for (const p of model.pods()) {
    if (p.sandbox.hostNetwork) continue;
    out.set(p.sandbox.id, {
      index: index++,
      name: `veth${stableHex(p.sandbox.id, 4)}`,
      peer: 2,
      mac: stableMac(`host/${p.sandbox.id}`),
      mtu: 1500,
      inet: { address: gw, prefix: 32, scope: 'global' },
      netns: stableUuid(p.sandbox.id),
    });
  }
  return out;
}

export function nodeInterfaces(model: NodeModel): Iface[] {
  const eth0: Iface = {
    index: 2,
    name: 'eth0',
    peer: 100 + (parseInt(stableHex(model.name, 1), 16) % 50),
    mac: `02:42:${model.ip
      .split('.')
      .map((n) => Number(n).toString(16).padStart(2, '0'))
      .join(':')}`,
    mtu: 1500,
    inet: { address: model.ip, prefix: 16, brd: broadcast(model.ip, 16), scope: 'global' },
  };
  return [LO, eth0, ...podVeths(model).values()];
}

export function podInterfaces(podIP: string, podCIDR: string, hostIndex: number, sandboxId: string): Iface[] {
  const prefix = Number(podCIDR.split('/')[1] ?? 24);
  return [
    LO,
    {
      index: 2,
      name: 'eth0',
      peer: hostIndex,
      mac: stableMac(`pod/${sandboxId}`),
      mtu: 1500,
      inet: { address: podIP, prefix, brd: broadcast(podIP, prefix), scope: 'global' },
    },
  ];
}

function flags(i: Iface): string {
  return i.loopback ? '<LOOPBACK,UP,LOWER_UP>' : '<BROADCAST,MULTICAST,UP,LOWER_UP>';
}

function linkLine(i: Iface, style: 'iproute2' | 'busybox'): string {
  const name = i.peer ? `${i.name}@if${i.peer}` : i.name;
  const state = style === 'iproute2' ? ` state ${i.loopback ? 'UNKNOWN' : 'UP'} group default` : '';
  const qlen = i.loopback ? ' qlen 1000' : ' ';
  const head = `${i.index}: ${name}: ${flags(i)} mtu ${i.mtu} qdisc noqueue${state}${qlen}\n`;
  const kind = i.loopback ? 'loopback' : 'ether';
  const brd = i.loopback ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
  const netns = i.netns && style === 'iproute2' ? ` link-netns ${i.netns}` : '';
  return `${head}    link/${kind} ${i.mac} brd ${brd}${netns}\n`;
}

export function ipLink(ifaces: Iface[], style: 'iproute2' | 'busybox'): string {
  return ifaces.map((i) => linkLine(i, style)).join('');
}

export function ipAddr(ifaces: Iface[], style: 'iproute2' | 'busybox'): string {
  return ifaces
    .map((i) => {
      let out = linkLine(i, style);
      if (i.inet) {
        const brd = i.inet.brd ? ` brd ${i.inet.brd}` : '';
        out += `    inet ${i.inet.address}/${i.inet.prefix}${brd} scope ${i.inet.scope} ${i.name}\n`;
        out += '       valid_lft forever preferred_lft forever\n';
      }
      return out;
    })
    .join('');
}

/** Routes on the node: the Docker network, kindnet's routes to other nodes, ptp's host routes. */
export function nodeRoutes(model: NodeModel): string {
  const lines: Array<[string, string]> = [];
  lines.push(['0.0.0.0/0', 'default via 172.18.0.1 dev eth0 ']);
  for (const n of model.source.nodes()) {
    if (n.metadata.name === model.name || !n.spec?.podCIDR) continue;
    const ip = (n.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
    if (ip) lines.push([n.spec.podCIDR, `${n.spec.podCIDR} via ${ip} dev eth0 `]);
  }
  const veths = podVeths(model);
  for (const p of model.pods()) {
    const v = veths.get(p.sandbox.id);
    if (v) lines.push([p.sandbox.ip, `${p.sandbox.ip} dev ${v.name} scope host `]);
  }
  lines.push(['172.18.0.0/16', `172.18.0.0/16 dev eth0 proto kernel scope link src ${model.ip} `]);
  const key = (k: string) => (k === '0.0.0.0/0' ? -1 : parseCidr(k.includes('/') ? k : `${k}/32`).base);
  return lines
    .sort((a, b) => key(a[0]) - key(b[0]))
    .map(([, l]) => `${l}\n`)
    .join('');
}

/** Routes in a pod, as ptp sets them: default and the pod CIDR via the gateway, the gateway on link. */
export function podRoutes(podIP: string, podCIDR: string): string {
  const gw = intToIp(parseCidr(podCIDR).base + 1);
  return `default via ${gw} dev eth0 \n${podCIDR} via ${gw} dev eth0 src ${podIP} \n${gw} dev eth0 scope link src ${podIP} \n`;
}
