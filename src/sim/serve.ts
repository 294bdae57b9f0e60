import * as fs from 'node:fs';
import { nodeExecRoute } from './api/handlers/node-exec.js';
import { podIoHandlers } from './api/handlers/pod-io.js';
import { ApiServer, type VersionInfo } from './api/server.js';
import type { Clock } from './clock.js';
import { SimCluster } from './cluster.js';
import type { SimConfig } from './config.js';
import { KubeletController } from './controllers/kubelet/controller.js';
import { type EndpointInfo, labFiles, writeFileAtomic } from './files.js';
import { renderKubeconfig } from './kubeconfig.js';
import type { Logger } from './log.js';
import { createLabPki, newToken } from './pki.js';

/** What `lab.json` holds for a sim lab. */
export interface SimLabFile {
  backend: 'sim';
  config: SimConfig;
  createdAt: string;
  labId?: string;
}

export interface RunningSim {
  cluster: SimCluster;
  server: ApiServer;
  port: number;
  endpoint: EndpointInfo;
  close(): Promise<void>;
}

export function versionInfo(gitVersion: string): VersionInfo {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '33',
    gitVersion,
    gitCommit: 'clusterlab-sim',
    gitTreeState: 'clean',
    buildDate: '2025-05-15T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'clusterlab-sim',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

/** Make sure the lab has its CA, serving certificate and token (created once, kept after). */
export async function ensureCredentials(
  dir: string,
  serviceIP: string,
): Promise<{ caCert: string; serverCert: string; serverKey: string; token: string }> {
  const f = labFiles(dir);
  if (!fs.existsSync(f.serverKey) || !fs.existsSync(f.caCert) || !fs.existsSync(f.serverCert)) {
    const pki = await createLabPki(serviceIP);
    writeFileAtomic(f.caCert, pki.caCert, 0o644);
    writeFileAtomic(f.caKey, pki.caKey);
    writeFileAtomic(f.serverCert, pki.serverCert, 0o644);
    writeFileAtomic(f.serverKey, pki.serverKey);
  }
  if (!fs.existsSync(f.token)) writeFileAtomic(f.token, newToken());
  return {
    caCert: fs.readFileSync(f.caCert, 'utf8'),
    serverCert: fs.readFileSync(f.serverCert, 'utf8'),
    serverKey: fs.readFileSync(f.serverKey, 'utf8'),
    token: fs.readFileSync(f.token, 'utf8').trim(),
  };
}

/**
 * Run the lab in `dir`: load its state, serve the API on 127.0.0.1 (on the port it had before
 * when that is free, so existing kubeconfigs keep working), and write the kubeconfig and the
 * endpoint file that tell the CLI the lab is ready.
 */
export interface ServeOptions {
  /** Skip fsync (throwaway test labs only). */
  noSync?: boolean;
  /** Watch history kept for resuming watches (tests use a small one to provoke 410 Gone). */
  historySize?: number;
  /** Server-side watch timeout floor (tests use a short one so clients resume). */
  minRequestTimeoutMs?: number;
  /** Time for the controllers (tests pass a VirtualClock). */
  clock?: Clock;
  /** How often watches that allow bookmarks get one (default 60 s). */
  bookmarkIntervalMs?: number;
}

/** exec, attach, logs and port-forward, served from the kubelets' container runtimes. */
function podIo(cluster: SimCluster) {
  const kubelet = cluster.controllers.find((c): c is KubeletController => c instanceof KubeletController);
  const nodeMemory = (name: string) =>
    cluster.store.get('core/nodes', undefined, name)?.status?.capacity?.memory as string | undefined;
  return podIoHandlers((node) => kubelet?.runtime(node), nodeMemory);
}

export async function serveLab(dir: string, log: Logger, opts: ServeOptions = {}): Promise<RunningSim> {
  const f = labFiles(dir);
  const lab = JSON.parse(fs.readFileSync(f.lab, 'utf8')) as SimLabFile;
  const creds = await ensureCredentials(dir, '10.96.0.1');
  const cluster = await SimCluster.create({
    config: lab.config,
    dataDir: f.state,
    caCert: creds.caCert,
    log,
    noSync: opts.noSync,
    historySize: opts.historySize,
    minRequestTimeoutMs: opts.minRequestTimeoutMs,
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    clock: opts.clock,
  });
  if (cluster.recovery) {
    log.info(
      `state loaded: snapshot at rv ${cluster.recovery.snapshotRv}, ${cluster.recovery.replayed} journal records replayed`,
    );
  }
  let previousPort = 0;
  try {
    previousPort = (JSON.parse(fs.readFileSync(f.endpoint, 'utf8')) as EndpointInfo).port;
  } catch {
    // First start.
  }
  const base = {
    key: creds.serverKey,
    cert: creds.serverCert,
    token: creds.token,
    version: versionInfo(lab.config.kubernetesVersion),
    services: cluster.services,
    openapi: cluster.openapi,
    log,
    ...podIo(cluster),
    pathUpgradeHandlers: [nodeExecRoute(cluster.controllers)],
  };
  let server = new ApiServer({ ...base, port: previousPort });
  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    if (!previousPort) throw err;
    log.warn(`port ${previousPort} is taken now; choosing another (the kubeconfig is rewritten)`);
    server = new ApiServer({ ...base, port: 0 });
    port = await server.listen();
  }

  const url = `https://127.0.0.1:${port}`;
  writeFileAtomic(f.kubeconfig, renderKubeconfig(lab.config.name, url, creds.caCert, creds.token), 0o600);
  const endpoint: EndpointInfo = {
    pid: process.pid,
    port,
    server: url,
    startedAt: new Date().toISOString(),
    version: lab.config.kubernetesVersion,
  };
  writeFileAtomic(f.endpoint, JSON.stringify(endpoint, null, 2), 0o600);
  log.info(
    `serving ${lab.config.name} (${lab.config.nodes.length} nodes, Kubernetes ${lab.config.kubernetesVersion}) on ${url}`,
  );
  return {
    cluster,
    server,
    port,
    endpoint,
    async close() {
      await server.close();
      await cluster.close();
    },
  };
}
