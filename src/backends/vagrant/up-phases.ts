import type { Progress } from '../types.js';
import { uiText, type VagrantRecord } from './machine-readable.js';

/**
 * What each VM is doing during `vagrant up`, read from its machine-readable `ui` lines. The
 * stages are in the order Vagrant goes through them; a VM only moves forward, so a late or
 * repeated line never moves its progress back.
 */
export const STAGES = ['create', 'start', 'boot', 'ssh', 'configure', 'provision', 'up'] as const;
export type Stage = (typeof STAGES)[number];

const LABELS: Record<Stage, string> = {
  create: 'creating the VM',
  start: 'starting',
  boot: 'booting (waiting for SSH)',
  ssh: 'SSH ready',
  configure: 'configuring its networks',
  provision: 'provisioning',
  up: 'up',
};

/** Vagrant's messages (libvirt and VirtualBox providers) → the stage they begin. */
const PATTERNS: Array<[RegExp, Stage]> = [
  [
    /Uploading base box image|Creating image \(snapshot|Importing base box|Cloning VM|Creating domain/,
    'create',
  ],
  [/Starting domain|Booting VM/, 'start'],
  [/Waiting for domain to get an IP|Waiting for machine to boot/, 'boot'],
  [/Machine booted and ready/, 'ssh'],
  [/Setting hostname|Configuring and enabling network interfaces/, 'configure'],
  [/Running provisioner: /, 'provision'],
];

export interface StageEvent {
  vm: string;
  stage: Stage;
  /** The provisioner's name for `provision` (`hosts`, `linux`, `kubeadm-init` …). */
  detail?: string;
  title: string;
}

/** The stage a record starts, if any. */
export function stageOf(r: VagrantRecord): Omit<StageEvent, 'title'> | undefined {
  if (!r.target) return undefined;
  if (r.type === 'action' && r.data[0] === 'up' && r.data[1] === 'end') return { vm: r.target, stage: 'up' };
  const text = uiText(r);
  if (text === undefined) return undefined;
  for (const [re, stage] of PATTERNS) {
    if (!re.test(text)) continue;
    if (stage === 'provision') {
      const name = /Running provisioner: ([^\s(]+)/.exec(text)?.[1];
      return { vm: r.target, stage, detail: name };
    }
    return { vm: r.target, stage };
  }
  return undefined;
}

/**
 * Turns a `vagrant up` record stream into phases and a percentage. `provisioners` is how many
 * provisioning scripts each VM runs (so each counts as a step of its own).
 */
export class UpTracker {
  private readonly reached = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly steps: number;

  constructor(
    private readonly vms: string[],
    provisioners: number,
  ) {
    // Every stage but `provision` is one step; provisioning is one step per script.
    this.steps = STAGES.length - 1 + provisioners;
  }

  /** The event this record starts, or undefined (repeated or uninteresting lines). */
  take(r: VagrantRecord): StageEvent | undefined {
    const s = stageOf(r);
    if (!s || !this.vms.includes(s.vm)) return undefined;
    const key = `${s.vm}/${s.stage}/${s.detail ?? ''}`;
    if (this.seen.has(key)) return undefined;
    const order = STAGES.indexOf(s.stage);
    const before = this.reached.get(s.vm) ?? -1;
    if (order < STAGES.indexOf('provision') && order <= before) return undefined;
    this.seen.add(key);
    this.reached.set(s.vm, Math.max(before, order));
    const title =
      s.stage === 'provision' ? `${s.vm}: provisioning (${s.detail})` : `${s.vm}: ${LABELS[s.stage]}`;
    return { ...s, title };
  }

  /** 0–1: the share of every VM's steps seen so far. */
  fraction(): number {
    let done = 0;
    for (const vm of this.vms) {
      const provisioned = [...this.seen].filter((k) => k.startsWith(`${vm}/provision/`)).length;
      const stage = this.reached.get(vm) ?? -1;
      const plain = STAGES.slice(0, stage + 1).filter((s) => s !== 'provision').length;
      done += plain + provisioned;
    }
    return Math.min(1, done / (this.steps * this.vms.length));
  }
}

/** Phases on `progress` as the records come: one status line per VM stage. */
export function upReporter(progress: Progress, tracker: UpTracker, percent: (fraction: number) => void) {
  let open = false;
  return {
    record(r: VagrantRecord) {
      const e = tracker.take(r);
      if (!e) return;
      if (e.stage === 'up') {
        // A VM that is up ends no phase of its own; the overall phase closes when vagrant ends.
        percent(tracker.fraction());
        return;
      }
      progress.start(e.title);
      open = true;
      percent(tracker.fraction());
    },
    close(ok: boolean) {
      if (open) progress.end(ok);
      open = false;
    },
  };
}
