import type { PreflightIssue } from '../types.js';
import type { LibvirtDriver, VagrantProfile, VagrantProvider } from './names.js';

/** What the host has, gathered once (host-facts.ts); the checks below are pure. */
export interface VagrantHostFacts {
  platform: NodeJS.Platform;
  vagrant?: { path: string; version?: string };
  /** The provider chosen (CLUSTERLAB_VAGRANT_PROVIDER, or the first usable one). */
  provider?: VagrantProvider;
  /** Why each provider cannot be used, when it cannot. */
  providerProblems: Partial<Record<VagrantProvider, string>>;
  libvirtDriver: LibvirtDriver;
  box: {
    name: string;
    present: boolean;
    file?: string;
    fileExists?: boolean;
    buildCommand?: string;
    public: boolean;
  };
  profile: VagrantProfile;
  vms: number;
  memoryMiBPerVm: number;
  availableMemoryMiB: number;
}

export const MIN_VAGRANT_VERSION = '2.2.0';
/** QEMU's own use beside the guest: TCG keeps a 1 GiB translation cache per VM; KVM little. */
export const overheadMiB = (provider: VagrantProvider | undefined, driver: LibvirtDriver): number =>
  provider === 'libvirt' && driver === 'qemu' ? 1024 : 256;

export function vagrantInstallCommand(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'brew install --cask vagrant virtualbox';
    case 'win32':
      return 'winget install -e --id Hashicorp.Vagrant; winget install -e --id Oracle.VirtualBox';
    default:
      return 'sudo apt-get install -y vagrant vagrant-libvirt libvirt-daemon-system qemu-system-x86  (Debian/Ubuntu)';
  }
}

export function providerFix(platform: NodeJS.Platform): string {
  if (platform !== 'linux') return vagrantInstallCommand(platform);
  return (
    'sudo apt-get install -y vagrant-libvirt libvirt-daemon-system qemu-system-x86 && sudo systemctl start libvirtd' +
    '  (or without systemd: sudo sh -c "virtlogd -d; libvirtd -d")'
  );
}

/** Everything missing for a Vagrant lab, each with the exact command that fixes it. */
export function vagrantPreflightIssues(f: VagrantHostFacts): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  if (!f.vagrant) {
    issues.push({
      problem: 'vagrant is not installed (clusterlab runs it to make the VMs)',
      fix: vagrantInstallCommand(f.platform),
      blocking: true,
    });
    return issues;
  }
  if (!f.vagrant.version || olderThan(f.vagrant.version, MIN_VAGRANT_VERSION))
    issues.push({
      problem: `vagrant ${f.vagrant.version ?? '(its version could not be read)'} is too old; clusterlab needs ${MIN_VAGRANT_VERSION} or newer`,
      fix: vagrantInstallCommand(f.platform),
      blocking: true,
    });
  if (!f.provider) {
    const why = Object.entries(f.providerProblems)
      .map(([p, w]) => `${p}: ${w}`)
      .join('; ');
    issues.push({
      problem: `no Vagrant provider can run VMs here (${why})`,
      fix: providerFix(f.platform),
      blocking: true,
    });
  } else if (f.provider === 'libvirt' && f.libvirtDriver === 'qemu')
    issues.push({
      problem:
        'KVM is not available, so the VMs run under QEMU software emulation: they work, several times slower ' +
        '(a 2-VM Linux lab takes 2–5 minutes to come up)',
      fix: 'use a machine with hardware virtualisation for speed; CLUSTERLAB_VAGRANT_LIBVIRT_DRIVER=kvm forces KVM',
      blocking: false,
    });
  if (!f.box.present) {
    if (f.box.public)
      issues.push({
        problem: `the box ${f.box.name} is not downloaded yet; vagrant fetches it from Vagrant Cloud on the first up (a few hundred MiB)`,
        fix: `vagrant box add ${f.box.name}${f.provider ? ` --provider ${f.provider}` : ''}`,
        blocking: false,
      });
    else if (!f.box.fileExists)
      issues.push({
        problem: `the box ${f.box.name} is not in Vagrant and its file ${f.box.file} has not been built`,
        fix: f.box.buildCommand ?? '',
        blocking: true,
      });
  }
  if (f.profile === 'kubeadm')
    issues.push({
      problem:
        'the kubeadm profile downloads CRI-O, Kubernetes and Calico inside the VMs: they need the internet (10–20 minutes for 3 VMs)',
      fix: 'make sure this machine is online, or use a Linux lab: clusterlab up --lab vagrant-linux',
      blocking: false,
    });
  const need = f.vms * (f.memoryMiBPerVm + overheadMiB(f.provider, f.libvirtDriver));
  if (f.availableMemoryMiB > 0 && f.availableMemoryMiB < need)
    issues.push({
      problem: `${f.vms} VMs need about ${gib(need)} of memory and this machine has ${gib(f.availableMemoryMiB)} available`,
      fix: 'close other programs or stop other labs (clusterlab list), or use a lab with fewer or smaller VMs',
      blocking: true,
    });
  return issues;
}

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

export function olderThan(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** `vagrant --version` → "2.3.4" (it prints "Vagrant 2.3.4"). */
export const parseVagrantVersion = (text: string): string | undefined => /(\d+\.\d+\.\d+)/.exec(text)?.[1];
