import type { LabSpec, Logger, Progress } from '../types.js';
import type { vagrantLabFiles } from './names.js';
import type { VagrantParams, VagrantSettings } from './params.js';
import type { VagrantHostFacts } from './preflight.js';
import type { VagrantLabRecord } from './record.js';

/** What the vagrant backend is made with. */
export interface VagrantEnv {
  stateDir: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The install's root (vagrant/ lives under it). */
  root: string;
}

/** The context every step of creating one Vagrant lab shares. */
export interface CreateContext extends VagrantEnv {
  spec: LabSpec;
  settings: VagrantSettings;
  facts: VagrantHostFacts;
  dir: string;
  files: ReturnType<typeof vagrantLabFiles>;
  progress: Progress;
  signal: AbortSignal;
  retain: boolean;
  vagrantBin: string;
  params?: VagrantParams;
  record?: VagrantLabRecord;
  /** vagrant up has run (even partly): there may be VMs, volumes and networks to destroy. */
  vagrantRan: boolean;
}

export interface CreateStep {
  title: string;
  /** Overall percentage when the step has ended. */
  doneAt: number;
  ownPhases?: boolean;
  when?(c: CreateContext): boolean;
  run(c: CreateContext): Promise<string | undefined>;
}
