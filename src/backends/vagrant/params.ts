import { randomBytes } from 'node:crypto';
import type { LabSpec, VagrantLabSettings } from '../types.js';
import {
  domainPrefix,
  type LibvirtDriver,
  MANAGEMENT_NETWORKS,
  privateNetworkName,
  type VagrantProfile,
  type VagrantProvider,
  vmNames,
} from './names.js';

/** The lab's settings from its definition (`vagrant:` in labs/*.yaml). */
export type VagrantSettings = VagrantLabSettings;

export const DEFAULT_VAGRANT_SETTINGS: VagrantSettings = {
  profile: 'kubeadm',
  cpus: 2,
  memoryMiB: 2048,
  network: '192.168.56.0/24',
};

/** Calico's manifest release the kubeadm profile applies (NetworkPolicy is enforced). */
export const CALICO_VERSION = 'v3.30.2';

export interface VagrantNodeParams {
  name: string;
  role: 'control-plane' | 'worker';
  ip: string;
  cpus: number;
  memoryMiB: number;
}

/** lab.vagrant.json: everything the Vagrantfile reads (documented in docs/backend-vagrant.md). */
export interface VagrantParams {
  lab: string;
  profile: VagrantProfile;
  box: string;
  provider: VagrantProvider;
  libvirtDriver: LibvirtDriver;
  prefix: string;
  network: { name: string; cidr: string };
  managementNetwork: { name: string; cidr: string; isolated: boolean };
  nodes: VagrantNodeParams[];
  kubernetes?: {
    version: string;
    minor: string;
    crioMinor: string;
    podSubnet: string;
    serviceSubnet: string;
    calicoVersion: string;
    token: string;
  };
}

/** The first address a node gets on the private network (`.11`, as kubeadm tutorials use). */
const FIRST_HOST = 11;

/** The nodes' addresses on a /24: `192.168.56.0/24` → 192.168.56.11, .12, … */
export function nodeAddresses(cidr: string, count: number): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.0\/24$/.exec(cidr);
  if (!m) throw new Error(`the private network must be a /24 ending in .0, not ${cidr}`);
  if (FIRST_HOST + count > 255) throw new Error(`a /24 holds at most ${255 - FIRST_HOST} nodes`);
  return Array.from({ length: count }, (_, i) => `${m[1]}.${m[2]}.${m[3]}.${FIRST_HOST + i}`);
}

/** A kubeadm bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`), fresh per lab. */
export function bootstrapToken(random: (n: number) => Buffer = randomBytes): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number) => [...random(n)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${pick(6)}.${pick(16)}`;
}

/** `v1.33.1` → `v1.33`: package streams are per minor. */
export function minorOf(version: string): string {
  const m = /^v?(\d+\.\d+)/.exec(version);
  return m ? `v${m[1]}` : version;
}

export interface HostChoice {
  provider: VagrantProvider;
  libvirtDriver: LibvirtDriver;
  box: string;
}

export function renderParams(
  spec: LabSpec,
  settings: VagrantSettings,
  host: HostChoice,
  token: () => string = bootstrapToken,
): VagrantParams {
  const count = spec.controlPlanes + spec.workers;
  const names = vmNames(settings.profile, count);
  const ips = nodeAddresses(settings.network, count);
  const offline = settings.profile === 'linux';
  return {
    lab: spec.name,
    profile: settings.profile,
    box: host.box,
    provider: host.provider,
    libvirtDriver: host.libvirtDriver,
    prefix: domainPrefix(spec.name),
    network: { name: privateNetworkName(spec.name), cidr: settings.network },
    managementNetwork: {
      ...(offline ? MANAGEMENT_NETWORKS.isolated : MANAGEMENT_NETWORKS.nat),
      isolated: offline,
    },
    nodes: names.map((name, i) => ({
      name,
      role: i < spec.controlPlanes ? 'control-plane' : 'worker',
      ip: ips[i]!,
      cpus: settings.cpus,
      memoryMiB: settings.memoryMiB,
    })),
    kubernetes:
      settings.profile === 'kubeadm'
        ? {
            version: spec.kubernetesVersion,
            minor: minorOf(spec.kubernetesVersion),
            // CRI-O's stable streams follow Kubernetes' minors (cri-o/packaging).
            crioMinor: minorOf(spec.kubernetesVersion),
            podSubnet: spec.podSubnet,
            serviceSubnet: spec.serviceSubnet,
            calicoVersion: CALICO_VERSION,
            token: token(),
          }
        : undefined,
  };
}
