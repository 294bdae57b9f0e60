import type Docker from 'dockerode';
import type { CreateStepOf } from '../create-steps.js';
import type { LabSpec, Logger, Progress } from '../types.js';
import type { IngressPort } from './config.js';
import type { KindLabRecord, kindLabFiles } from './record.js';

/** What the kind backend is made with: the host's tools and where labs live. */
export interface KindEnv {
  stateDir: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  docker: Docker;
  /** The install's root (labs/kind/crio, labs/kind/addons live under it). */
  root: string;
  /** How long workers get to join and every node to be Ready after kind returns. */
  readyTimeoutMs: number;
  ingress: IngressPort;
}

/** The context every step of creating one kind lab shares (kind's create.go habit). */
export interface CreateContext extends KindEnv {
  spec: LabSpec;
  dir: string;
  files: ReturnType<typeof kindLabFiles>;
  progress: Progress;
  signal: AbortSignal;
  retain: boolean;
  kindBin: string;
  kubectlBin?: string;
  record?: KindLabRecord;
  image?: string;
  /** kind create has run (even partly): there may be node containers to delete. */
  kindRan: boolean;
  usesImageCache: boolean;
}

/** One step of `up`: it gets a status line (unless it reports its own phases) and a share of the bar. */
export type CreateStep = CreateStepOf<CreateContext>;
