import type { CreateStepOf } from '../create-steps.js';
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

/** One step of creating a lab (see ../create-steps.ts). */
export type CreateStep = CreateStepOf<CreateContext>;
