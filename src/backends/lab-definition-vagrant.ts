import type { YAMLMap } from 'yaml';
import type { DefinitionReader } from './lab-definition-reader.js';
import type { VagrantLabSettings } from './types.js';

const FIELDS = ['profile', 'box', 'cpus', 'memory', 'network'];
const PROFILES = ['linux', 'kubeadm'];
/** kubeadm refuses fewer than 2 CPUs and 1700 MiB on the control plane; linux nodes need little. */
const DEFAULTS: Record<string, { cpus: number; memory: number }> = {
  linux: { cpus: 1, memory: 768 },
  kubeadm: { cpus: 2, memory: 2048 },
};

/**
 * The `vagrant:` section: how the vagrant backend makes the lab's VMs.
 *
 *   vagrant:
 *     profile: linux            # linux (plain nodes) or kubeadm (a cluster); required
 *     cpus: 1                   # per VM
 *     memory: 768               # MiB per VM
 *     network: 192.168.56.0/24  # the private network; nodes get .11, .12, …
 *     box: debian/bookworm64    # optional; the default depends on profile and provider
 */
export function readVagrantSection(r: DefinitionReader, root: YAMLMap): VagrantLabSettings | undefined {
  const map = r.map(root, 'vagrant', 'vagrant', '{ profile: linux, cpus: 1, memory: 768 }');
  if (!map) return undefined;
  r.checkKeys(map, FIELDS, 'of vagrant');
  const profile = r.str(map, 'profile', 'vagrant.profile');
  if (!PROFILES.includes(profile))
    r.fail(
      r.field(map, 'profile'),
      `"vagrant.profile" is "${profile}"; it is one of: ${PROFILES.join(', ')}`,
    );
  const d = DEFAULTS[profile]!;
  const min = profile === 'kubeadm' ? { cpus: 2, memory: 1700 } : { cpus: 1, memory: 256 };
  const cpus =
    r.field(map, 'cpus') === undefined ? d.cpus : r.count(map, 'cpus', 'vagrant.cpus', min.cpus, 64);
  const memoryMiB =
    r.field(map, 'memory') === undefined
      ? d.memory
      : r.count(map, 'memory', 'vagrant.memory', min.memory, 262144);
  const network = r.str(
    map,
    'network',
    'vagrant.network',
    '192.168.56.0/24',
    /^(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.0\/24$/,
    '"192.168.56.0/24" (a /24)',
  );
  const box = r.field(map, 'box') === undefined ? undefined : r.str(map, 'box', 'vagrant.box');
  return { profile: profile as VagrantLabSettings['profile'], box, cpus, memoryMiB, network };
}
