import * as path from 'node:path';
import { LAB_RECORD } from '../../state/labs.js';

/** What each node of a Vagrant lab is for: plain Linux machines, or a kubeadm cluster. */
export type VagrantProfile = 'linux' | 'kubeadm';
export const VAGRANT_PROFILES: VagrantProfile[] = ['linux', 'kubeadm'];

export type VagrantProvider = 'libvirt' | 'virtualbox';
export type LibvirtDriver = 'kvm' | 'qemu';

/**
 * VM names: `node-1`, `node-2`, … for plain Linux labs (the scenarios say "node-1 reaches
 * node-2"); `control-plane`, `worker-1`, … for kubeadm clusters, so `kubectl get nodes` reads
 * like the roles it shows.
 */
export function vmNames(profile: VagrantProfile, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    profile === 'linux' ? `node-${i + 1}` : i === 0 ? 'control-plane' : `worker-${i}`,
  );
}

/** Libvirt domains are `<prefix><vm>`, so `virsh list` shows which lab a VM belongs to. */
export const domainPrefix = (lab: string): string => `clusterlab-${lab}-`;

/** The lab's private network (host-only; the nodes talk to each other on it). */
export const privateNetworkName = (lab: string): string => `clusterlab-${lab}`;

/**
 * Management networks (the NIC Vagrant itself reaches the VMs through), shared by the labs:
 * isolated for offline labs, NATed for labs that download packages. Their subnets avoid
 * libvirt's `default` (192.168.122.0/24) and vagrant-libvirt's own (192.168.121.0/24).
 */
export const MANAGEMENT_NETWORKS = {
  isolated: { name: 'clusterlab-mgmt-isolated', cidr: '192.168.123.0/24' },
  nat: { name: 'clusterlab-mgmt-nat', cidr: '192.168.124.0/24' },
};

/** The kubeconfig context of a kubeadm lab (kind's habit, as the other backends). */
export const contextName = (lab: string): string => `clusterlab-${lab}`;

/** The box `up` adds from the locally built file; the tag is the builder inputs' hash. */
export const LOCAL_BOX_PREFIX = 'clusterlab/debian12';
/** A public box with libvirt and VirtualBox providers, for labs that may download. */
export const PUBLIC_DEBIAN_BOX = 'debian/bookworm64';

export const vagrantLabFiles = (dir: string) => ({
  record: path.join(dir, LAB_RECORD),
  params: path.join(dir, 'lab.vagrant.json'),
  vagrantfile: path.join(dir, 'Vagrantfile'),
  scripts: path.join(dir, 'scripts'),
  dotfile: path.join(dir, '.vagrant'),
  kubeconfig: path.join(dir, 'kubeconfig'),
  sshConfig: path.join(dir, 'ssh_config'),
  sshDir: path.join(dir, 'ssh'),
  upLog: path.join(dir, 'vagrant-up.log'),
});
