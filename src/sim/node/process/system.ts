import type { ProgramKind } from '../images/catalog.js';
import { goLogTime, klogPrefix, type Listener, ServerProcess } from './server.js';
import type { Signal } from './types.js';

/** kind's system components and the pause container, as servers with their ports and health endpoints. */

const ok = (scheme: 'HTTP' | 'HTTPS', ...paths: string[]) => ({
  scheme,
  paths: Object.fromEntries(paths.map((p) => [p, 200])),
  otherwise: 404,
  body: () => 'ok',
});

interface Component {
  listeners: Listener[];
  memoryBytes: number;
  startup: (at: number) => string[];
  stopAfterMs: number;
}

const klog = (file: string, msg: string) => (at: number) => [`${klogPrefix(at)}${file}] ${msg}`];

const COMPONENTS: Partial<Record<ProgramKind, Component>> = {
  coredns: {
    listeners: [
      { port: 53, protocol: 'UDP' },
      { port: 53 },
      { port: 8080, http: ok('HTTP', '/health') },
      { port: 8181, http: ok('HTTP', '/ready') },
      { port: 9153, http: ok('HTTP', '/metrics') },
    ],
    memoryBytes: 14_000_000,
    startup: () => [
      '.:53',
      '[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b',
      'CoreDNS-1.12.0',
      'linux/amd64, go1.23.3, 51e11f1',
    ],
    stopAfterMs: 5000,
  },
  etcd: {
    listeners: [
      { port: 2379 },
      { port: 2380 },
      { port: 2381, http: ok('HTTP', '/health', '/livez', '/readyz', '/metrics') },
    ],
    memoryBytes: 42_000_000,
    startup: (at) => [
      `{"level":"info","ts":"${new Date(at).toISOString()}","caller":"embed/etcd.go:140","msg":"configuring peer listeners","listen-peer-urls":["https://0.0.0.0:2380"]}`,
    ],
    stopAfterMs: 100,
  },
  'kube-apiserver': {
    listeners: [{ port: 6443, http: ok('HTTPS', '/livez', '/readyz', '/healthz', '/version') }],
    memoryBytes: 260_000_000,
    startup: klog('options.go:249', 'external host was not specified, using 172.18.0.2'),
    stopAfterMs: 1000,
  },
  'kube-controller-manager': {
    listeners: [{ port: 10257, http: ok('HTTPS', '/healthz') }],
    memoryBytes: 52_000_000,
    startup: klog('serving.go:386', 'Generated self-signed cert in-memory'),
    stopAfterMs: 100,
  },
  'kube-scheduler': {
    listeners: [{ port: 10259, http: ok('HTTPS', '/livez', '/readyz', '/healthz') }],
    memoryBytes: 22_000_000,
    startup: klog('serving.go:386', 'Generated self-signed cert in-memory'),
    stopAfterMs: 100,
  },
  'kube-proxy': {
    listeners: [
      { port: 10249, http: ok('HTTP', '/metrics', '/healthz') },
      { port: 10256, http: ok('HTTP', '/healthz', '/livez') },
    ],
    memoryBytes: 16_000_000,
    startup: klog('server_linux.go:66', '"Using iptables proxy"'),
    stopAfterMs: 100,
  },
  kindnetd: {
    listeners: [],
    memoryBytes: 11_000_000,
    startup: (at) => [`${goLogTime(at)} INFO Starting kindnetd`],
    stopAfterMs: 100,
  },
  'local-path-provisioner': {
    listeners: [],
    memoryBytes: 9_000_000,
    startup: (at) => [
      `time="${new Date(at).toISOString().slice(0, 19)}Z" level=debug msg="Applied config: {\\"nodePathMap\\":[{\\"node\\":\\"DEFAULT_PATH_FOR_NON_LISTED_NODES\\",\\"paths\\":[\\"/var/local-path-provisioner\\"]}]}"`,
    ],
    stopAfterMs: 100,
  },
};

export function systemServer(kind: ProgramKind): ServerProcess | undefined {
  if (kind === 'pause') {
    return new ServerProcess({
      listeners: [],
      memoryBytes: 300_000,
      startup: () => [],
      onSignal: (sig: Signal) =>
        sig === 'SIGTERM' || sig === 'SIGINT'
          ? {
              afterMs: 0,
              code: 0,
              lines: [
                ['stderr', `Shutting down, got signal: ${sig === 'SIGTERM' ? 'Terminated' : 'Interrupt'}`],
              ],
            }
          : undefined,
    });
  }
  const c = COMPONENTS[kind];
  if (!c) return undefined;
  return new ServerProcess({
    listeners: c.listeners,
    memoryBytes: c.memoryBytes,
    startup: (at) => c.startup(at).map((l) => ['stderr', l]),
    onSignal: (sig) =>
      sig === 'SIGTERM' || sig === 'SIGINT' ? { afterMs: c.stopAfterMs, code: 0, lines: [] } : undefined,
  });
}
