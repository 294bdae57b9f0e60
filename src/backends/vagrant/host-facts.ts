import * as fs from 'node:fs';
import * as os from 'node:os';
import { execa } from 'execa';
import { findOnPath } from '../host-tools.js';
import { boxDir, buildBoxCommand, localBoxFile } from './box.js';
import { boxList, parseRecords } from './machine-readable.js';
import { type LibvirtDriver, LOCAL_BOX_PREFIX, type VagrantProvider } from './names.js';
import type { VagrantSettings } from './params.js';
import { parseVagrantVersion, type VagrantHostFacts } from './preflight.js';
import { vagrantEnv } from './vagrant-cli.js';

const quiet = async (bin: string, args: string[], env: NodeJS.ProcessEnv, timeout = 60_000) => {
  const r = await execa(bin, args, { env, reject: false, timeout, stdin: 'ignore' });
  return { ok: r.exitCode === 0, out: `${r.stdout ?? ''}\n${r.stderr ?? ''}` };
};

/** KVM works when the CPU has vmx/svm and /dev/kvm is there (a kvm module without them crawls). */
export function hasKvm(): boolean {
  try {
    const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8');
    return /\b(vmx|svm)\b/.test(cpu) && fs.existsSync('/dev/kvm');
  } catch {
    return false;
  }
}

export function libvirtDriver(env: NodeJS.ProcessEnv): LibvirtDriver {
  const forced = env.CLUSTERLAB_VAGRANT_LIBVIRT_DRIVER;
  if (forced === 'kvm' || forced === 'qemu') return forced;
  return hasKvm() ? 'kvm' : 'qemu';
}

/** Which providers can run VMs here, and why the others cannot. */
async function providers(
  vagrant: string,
  env: NodeJS.ProcessEnv,
): Promise<{ usable: VagrantProvider[]; problems: Partial<Record<VagrantProvider, string>> }> {
  const usable: VagrantProvider[] = [];
  const problems: Partial<Record<VagrantProvider, string>> = {};
  const plugins = await quiet(vagrant, ['plugin', 'list'], { ...env, VAGRANT_CHECKPOINT_DISABLE: '1' });
  if (!/vagrant-libvirt/.test(plugins.out)) problems.libvirt = 'the vagrant-libvirt plugin is not installed';
  else if (!findOnPath('virsh', env)) problems.libvirt = 'virsh (libvirt-clients) is not installed';
  else if (!(await quiet('virsh', ['-c', 'qemu:///system', 'version'], env, 30_000)).ok)
    problems.libvirt = 'libvirtd does not answer on qemu:///system (not running, or no permission)';
  else usable.push('libvirt');
  if (findOnPath('VBoxManage', env)) usable.push('virtualbox');
  else problems.virtualbox = 'VirtualBox (VBoxManage) is not installed';
  return { usable, problems };
}

export function defaultBox(
  settings: VagrantSettings,
  provider: VagrantProvider | undefined,
  root: string,
): string {
  if (settings.box) return settings.box;
  // The offline box exists for libvirt only; elsewhere Debian's own box, with packages installed at up.
  return settings.profile === 'linux' && provider !== 'virtualbox' ? localBoxName(root) : PUBLIC_DEBIAN_BOX;
}

import { localBoxName } from './box.js';
import { PUBLIC_DEBIAN_BOX } from './names.js';

export interface FactsRequest {
  settings: VagrantSettings;
  vms: number;
  stateDir: string;
  root: string;
  env: NodeJS.ProcessEnv;
}

export async function gatherVagrantHostFacts(req: FactsRequest): Promise<VagrantHostFacts> {
  const { env, settings } = req;
  const bin = findOnPath('vagrant', env);
  const facts: VagrantHostFacts = {
    platform: process.platform,
    providerProblems: {},
    libvirtDriver: libvirtDriver(env),
    box: { name: settings.box ?? '', present: false, public: true },
    profile: settings.profile,
    vms: req.vms,
    memoryMiBPerVm: settings.memoryMiB,
    // Node's freemem is MemAvailable on Linux: what can be had without swapping.
    availableMemoryMiB: Math.floor(os.freemem() / 1048576),
  };
  if (!bin) return facts;
  const version = await quiet(bin, ['--version'], { ...env, VAGRANT_CHECKPOINT_DISABLE: '1' });
  facts.vagrant = { path: bin, version: parseVagrantVersion(version.out) };
  const { usable, problems } = await providers(bin, env);
  const forced = env.CLUSTERLAB_VAGRANT_PROVIDER as VagrantProvider | undefined;
  facts.provider = forced && usable.includes(forced) ? forced : forced ? undefined : usable[0];
  facts.providerProblems =
    forced && !usable.includes(forced) ? { [forced]: problems[forced] ?? 'not usable' } : problems;
  const name = defaultBox(settings, facts.provider, req.root);
  const local = name.startsWith(`${LOCAL_BOX_PREFIX}-`);
  const boxes = boxList(
    parseRecords((await quiet(bin, ['box', 'list', '--machine-readable'], vagrantEnv(os.tmpdir(), env))).out),
  );
  const file = local ? localBoxFile(boxDir(req.stateDir, env), req.root) : undefined;
  facts.box = {
    name,
    present: boxes.some((b) => b.name === name && (!facts.provider || b.provider === facts.provider)),
    public: !local,
    file,
    fileExists: file ? fs.existsSync(file) : undefined,
    buildCommand: file ? buildBoxCommand(req.root, file) : undefined,
  };
  return facts;
}
