import { dockerFixes } from '../docker/fixes.js';
import type { PreflightIssue } from '../types.js';
import { KIND_VERSION, MIN_KIND_VERSION } from './versions.js';

/** What the host has, gathered once (see host-facts.ts); the checks below are pure. */
export interface KindHostFacts {
  platform: NodeJS.Platform;
  arch: string;
  docker: { ok: true; memoryBytes: number; cpus: number } | { ok: false; problem: string; fix: string };
  /** The version `kind version` printed, or undefined when kind is not on PATH. */
  kind?: { path: string; version?: string };
  /** Linux only: fs.inotify limits. */
  inotify?: { maxUserWatches?: number; maxUserInstances?: number };
  /** Free bytes where Docker keeps images (Linux) or where the lab lives. */
  freeDiskBytes?: number;
  nodes: number;
}

const GiB = 1024 ** 3;
/** A CRI-O node pulls its images on first boot; this much room keeps a 3-node lab out of trouble. */
export const MIN_FREE_DISK = 10 * GiB;
/** kind's known-issues page asks for these for multi-node clusters. */
export const INOTIFY = { watches: 524288, instances: 512 };

/** Memory a lab of `nodes` needs: the control plane about 2 GiB, each worker about 1 GiB. */
export const memoryNeeded = (nodes: number) => (2 + Math.max(0, nodes - 1)) * GiB;

export function kindInstallCommand(platform: NodeJS.Platform, arch: string): string {
  switch (platform) {
    case 'darwin':
      return 'brew install kind';
    case 'win32':
      return 'winget install -e --id Kubernetes.kind';
    default: {
      const a = arch === 'arm64' ? 'arm64' : 'amd64';
      return (
        `curl -Lo ./kind https://kind.sigs.k8s.io/dl/${KIND_VERSION}/kind-linux-${a}` +
        ' && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind'
      );
    }
  }
}

/** Everything missing for a kind lab, each with the exact command that fixes it on this platform. */
export function kindPreflightIssues(f: KindHostFacts): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  const docker = dockerFixes(f.platform);
  if (!f.docker.ok) issues.push({ problem: f.docker.problem, fix: f.docker.fix, blocking: true });
  else {
    const need = memoryNeeded(f.nodes);
    if (f.docker.memoryBytes > 0 && f.docker.memoryBytes < need)
      issues.push({
        problem: `Docker has ${gib(f.docker.memoryBytes)} of memory; a ${f.nodes}-node kind lab needs about ${gib(need)}`,
        fix: docker.resources,
        blocking: f.docker.memoryBytes < 2 * GiB,
      });
    if (f.docker.cpus > 0 && f.docker.cpus < 2)
      issues.push({
        problem: `Docker has ${f.docker.cpus} CPU; kind's control plane needs 2`,
        fix: docker.resources,
        blocking: true,
      });
  }
  if (!f.kind)
    issues.push({
      problem: 'kind is not installed (clusterlab runs it to create the cluster)',
      fix: kindInstallCommand(f.platform, f.arch),
      blocking: true,
    });
  else if (!f.kind.version)
    issues.push({
      problem: `${f.kind.path} did not say its version when asked (kind version)`,
      fix: kindInstallCommand(f.platform, f.arch),
      blocking: true,
    });
  else if (olderThan(f.kind.version, MIN_KIND_VERSION))
    issues.push({
      problem: `kind ${f.kind.version} is too old; clusterlab needs ${MIN_KIND_VERSION} or newer (tested with ${KIND_VERSION})`,
      fix: kindInstallCommand(f.platform, f.arch),
      blocking: true,
    });
  if (f.platform === 'linux' && f.inotify && f.nodes > 1) {
    const { maxUserWatches = Infinity, maxUserInstances = Infinity } = f.inotify;
    if (maxUserWatches < INOTIFY.watches || maxUserInstances < INOTIFY.instances)
      issues.push({
        problem:
          `the inotify limits are low for a multi-node kind lab (max_user_watches ${maxUserWatches}, ` +
          `max_user_instances ${maxUserInstances}): pods fail with "too many open files"`,
        fix: `sudo sysctl fs.inotify.max_user_watches=${INOTIFY.watches} fs.inotify.max_user_instances=${INOTIFY.instances}`,
        blocking: false,
      });
  }
  if (f.freeDiskBytes !== undefined && f.freeDiskBytes < MIN_FREE_DISK)
    issues.push({
      problem: `only ${gib(f.freeDiskBytes)} of disk is free; the node image and the images the nodes pull need about ${gib(MIN_FREE_DISK)}`,
      fix:
        f.platform === 'linux'
          ? 'docker system prune'
          : `${docker.resources.split(':')[0]} → Disk image size, or docker system prune`,
      blocking: f.freeDiskBytes < 3 * GiB,
    });
  return issues;
}

const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

function olderThan(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}
