import type { CommandContext, Effect } from '../node/process/shell/context.js';
import {
  ipAddr,
  ipLink,
  nodeInterfaces,
  nodeRoutes,
  podInterfaces,
  podRoutes,
  podVeths,
} from '../node/view/ip-view.js';
import { CLUSTER_DNS } from './dns.js';
import { type NetPeer, resolveFrom } from './peer.js';

/**
 * The small network tools: busybox `nslookup` and `ping` (iputils' `ping` on a node), `ip
 * addr|link|route` (busybox's in a pod, iproute2's on a node) and `hostname -i`.
 */

export function* nslookup(
  args: string[],
  ctx: CommandContext,
  peer: NetPeer,
): Generator<Effect, number, void> {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name) {
    ctx.stderr(
      'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n',
    );
    return 1;
  }
  const r = resolveFrom(peer, name);
  if (!r.ok && r.why === 'timeout') {
    yield { sleep: r.waitedMs };
    ctx.stdout(';; connection timed out; no servers could be reached\n\n');
    return 1;
  }
  const server = peer.pod ? CLUSTER_DNS : '127.0.0.11';
  ctx.stdout(`Server:\t\t${server}\nAddress:\t${server}:53\n\n`);
  if (!r.ok) {
    ctx.stdout(`** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  for (const a of r.answer.addresses) ctx.stdout(`Name:\t${r.answer.name}\nAddress: ${a}\n\n`);
  return 0;
}

export function* ping(args: string[], ctx: CommandContext, peer: NetPeer): Generator<Effect, number, void> {
  let count = Number.POSITIVE_INFINITY;
  let waitS = 10;
  let quiet = false;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') count = Number(args[++i]);
    else if (a.startsWith('-c')) count = Number(a.slice(2));
    else if (a === '-W' || a === '-w') waitS = Number(args[++i]);
    else if (a === '-q') quiet = true;
    else if (!a.startsWith('-')) host = a;
  }
  const node = !peer.pod;
  if (!host) {
    ctx.stderr(
      node
        ? 'ping: usage error: Destination address required\n'
        : 'BusyBox v1.37.0 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n',
    );
    return node ? 2 : 1;
  }
  const r = resolveFrom(peer, host);
  if (!r.ok) {
    if (r.why === 'timeout') yield { sleep: r.waitedMs };
    ctx.stderr(node ? `ping: ${host}: Name or service not known\n` : `ping: bad address '${host}'\n`);
    return node ? 2 : 1;
  }
  const ip = r.answer.addresses[0]!;
  const echo = peer.view.network.ping(peer.from, ip);
  ctx.stdout(node ? `PING ${host} (${ip}) 56(84) bytes of data.\n` : `PING ${host} (${ip}): 56 data bytes\n`);
  let sent = 0;
  const times: number[] = [];
  while (sent < count) {
    const t = 0.05 + ((sent * 7) % 10) / 200;
    if (echo.reply) {
      times.push(t);
      if (!quiet)
        ctx.stdout(
          node
            ? `64 bytes from ${ip}: icmp_seq=${sent + 1} ttl=${echo.ttl} time=${t.toFixed(3)} ms\n`
            : `64 bytes from ${ip}: seq=${sent} ttl=${echo.ttl} time=${t.toFixed(3)} ms\n`,
        );
    }
    sent++;
    if (sent < count) yield { sleep: 1000 };
    else if (!echo.reply) yield { sleep: Math.min(waitS, 10) * 1000 };
  }
  const got = times.length;
  const loss = Math.round(((sent - got) / sent) * 100);
  ctx.stdout(`\n--- ${host} ping statistics ---\n`);
  ctx.stdout(
    node
      ? `${sent} packets transmitted, ${got} received, ${loss}% packet loss, time ${(sent - 1) * 1000}ms\n`
      : `${sent} packets transmitted, ${got} packets received, ${loss}% packet loss\n`,
  );
  if (got) {
    const min = Math.min(...times).toFixed(3);
    const max = Math.max(...times).toFixed(3);
    const avg = (times.reduce((a, b) => a + b, 0) / got).toFixed(3);
    ctx.stdout(
      node
        ? `rtt min/avg/max/mdev = ${min}/${avg}/${max}/0.010 ms\n`
        : `round-trip min/avg/max = ${min}/${avg}/${max} ms\n`,
    );
  }
  return got ? 0 : 1;
}

/** `ip` for a pod's network namespace (busybox) or the node's (iproute2). */
export function ip(args: string[], ctx: CommandContext, peer: NetPeer, netnsOf?: NetPeer): number {
  const target = netnsOf ?? peer;
  const words = args.filter((a) => !/^-[46]$/.test(a) && a !== 'show');
  const obj = words[0] ?? '';
  const model = target.view.model(target.nodeName);
  if (!model) return 1;
  const inPod = !!target.pod && !target.pod.spec?.hostNetwork && !!target.sandboxId;
  const style = inPod && !netnsOf ? 'busybox' : 'iproute2';
  const podCIDR = model.source.node.spec?.podCIDR ?? '10.244.0.0/24';
  const ifaces = inPod
    ? podInterfaces(
        target.from.ip,
        podCIDR,
        podVeths(model).get(target.sandboxId!)?.index ?? 3,
        target.sandboxId!,
      )
    : nodeInterfaces(model);
  if ('address'.startsWith(obj) && obj !== '') ctx.stdout(ipAddr(ifaces, style));
  else if ('link'.startsWith(obj) && obj !== '') ctx.stdout(ipLink(ifaces, style));
  else if ('route'.startsWith(obj) && obj !== '')
    ctx.stdout(inPod ? podRoutes(target.from.ip, podCIDR) : nodeRoutes(model));
  else {
    ctx.stderr(
      style === 'busybox'
        ? 'BusyBox v1.37.0 multi-call binary.\n\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n'
        : `Object "${obj}" is unknown, try "ip help".\n`,
    );
    return obj === '' ? 255 : 1;
  }
  return 0;
}

/** `hostname -i`: the address the host name resolves to (the pod's IP, the node's IP). */
export function hostnameAddress(ctx: CommandContext, peer: NetPeer): number {
  ctx.stdout(`${peer.from.ip}\n`);
  return 0;
}
