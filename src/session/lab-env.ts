import { createBackend, DEFAULT_BACKEND } from '../backends/factory.js';
import { type LabsContext, labKubeconfig, labNodes } from '../backends/labs.js';
import type { LabCapability } from '../backends/types.js';
import { type ExecTarget, fetchReply, type ProbeEnv } from '../checks/env.js';
import type { Capability } from '../checks/types.js';
import type { KubeConnection } from '../kube/index.js';
import { identityNamespaces, type NamespaceMap, resolveScenario } from '../scenario/namespaces.js';
import type { Scenario } from '../scenario/types.js';
import { readLabHeader } from '../state/labs.js';

/**
 * A lab as the scenario engine sees it: a kubeconfig, node handles and capabilities. The checks
 * get a ProbeEnv made from it and never learn which backend runs the lab.
 */
export interface LabHandle {
  name: string;
  kubeconfig: string;
  nodes(): Promise<ExecTarget[]>;
  capabilities: ReadonlySet<Capability>;
  /** The backend's name, for messages such as "not available on the sim backend". */
  backend: string;
  /** What a scenario's declared namespaces are called on this lab (themselves, unless shared). */
  namespaces(declared: readonly string[]): Promise<NamespaceMap>;
}

export async function labHandle(name: string, ctx: LabsContext): Promise<LabHandle> {
  const kubeconfig = await labKubeconfig(name, ctx);
  const backendName = readLabHeader(ctx.stateDir, name)?.backend ?? DEFAULT_BACKEND;
  const backend = await createBackend(backendName, ctx);
  const caps: LabCapability[] = (await backend.capabilities?.(name)) ?? [];
  return {
    name,
    kubeconfig,
    backend: backendName,
    capabilities: new Set<Capability>(caps),
    nodes: () => labNodes(name, ctx),
    namespaces: async (declared) =>
      backend.scenarioNamespaces
        ? await backend.scenarioNamespaces(name, declared)
        : identityNamespaces(declared),
  };
}

/** The scenario as it runs on `lab`: its namespaces resolved everywhere it names them. */
export async function scenarioOnLab(
  scenario: Scenario,
  lab: Pick<LabHandle, 'namespaces'>,
): Promise<Scenario> {
  const declared = Object.keys(scenario.namespaces);
  return declared.length === 0 ? scenario : resolveScenario(scenario, await lab.namespaces(declared));
}

export function probeEnv(kube: KubeConnection, lab: Pick<LabHandle, 'nodes' | 'capabilities'>): ProbeEnv {
  return {
    watch: (key, onChange) => kube.informers.acquire(key, onChange),
    nodes: () => lab.nodes(),
    podExec: kube.podExec,
    apiRequest: (method, path, o) => kube.client.request(method, path, o),
    fetch: fetchReply,
    capabilities: lab.capabilities,
  };
}

/** Why a step cannot run on this lab, or undefined when it can. */
export function unavailableReason(
  needs: readonly Capability[],
  lab: Pick<LabHandle, 'capabilities' | 'backend'>,
): string | undefined {
  const missing = needs.filter((c) => !lab.capabilities.has(c));
  if (missing.length === 0) return undefined;
  return `needs ${missing.join(' and ')}, which the ${lab.backend} backend does not offer yet`;
}
