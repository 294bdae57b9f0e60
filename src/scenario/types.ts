import type { Capability, Check } from '../checks/types.js';
import type { NamespaceMap } from './namespaces.js';
import type { Pos } from './schema/validate.js';

/** A loaded, valid scenario: what the session runs and `scenario test` proves. */
export interface Scenario {
  format: number;
  id: string;
  title: string;
  topic: string;
  summary: string;
  estimatedMinutes: number;
  difficulty: 'beginner' | 'intermediate' | 'advanced';
  lab: LabRequirements;
  /** The scenario folder (absolute). */
  dir: string;
  /** Its scenario.yaml (absolute). */
  file: string;
  /** Absolute paths of the scenario-level scripts. */
  setup?: string;
  cleanup?: string;
  /**
   * The namespaces the scenario declares (`namespaces:`), each mapped to its name on the lab:
   * itself as loaded, a learner's own name once resolved for a shared cluster (namespaces.ts).
   */
  namespaces: NamespaceMap;
  /** The scenario as written, `{{ns:…}}` placeholders and all, that this one was resolved from. */
  template?: Scenario;
  steps: Step[];
}

export interface LabRequirements {
  nodes: number;
  runtime: 'cri-o' | 'containerd';
  addons: string[];
  backends: string[];
}

export interface Step {
  id: string;
  title: string;
  /** Absolute path of the step's Markdown. */
  text: string;
  solution: string;
  setup?: string;
  cleanup?: string;
  hints: string[];
  /** A question compiles into an answer check with id `question`; kept here for the UI. */
  question?: { prompt: string; answer: string; choices?: string[] };
  checks: Check[];
  /** Every capability the step's probes and its own `needs` require. */
  needs: Capability[];
  /** How long `scenario test` waits for the checks after the solution (ms). */
  timeoutMs: number;
  /** Where the step is in scenario.yaml. */
  at: Pos;
}
