import { UserError } from '../errors.js';
import { installPaths } from '../state/install.js';
import { labDirNames, readLabHeader } from '../state/labs.js';
import { DEFAULT_LAB_NAME, labCommand, labNameProblem, suggestLabName } from '../state/names.js';
import { createBackend, DEFAULT_BACKEND } from './factory.js';
import { resolveLabSpec } from './lab-spec.js';
import type {
  BackendContext,
  ClusterBackend,
  DownResult,
  LabSpec,
  LabStatus,
  Progress,
  UpResult,
} from './types.js';

/**
 * Labs by name, whatever backend runs them: the backend-neutral steps around the backends
 * (names, lab definitions, which backend owns an existing lab, conflicting requests).
 */
export interface LabsContext extends BackendContext {
  /** Directory of the lab definitions; the install's `labs/` by default. */
  definitionsDir?: string;
}

export interface UpRequest {
  name?: string;
  backend?: string;
  labId?: string;
  nodes?: number;
  /** Keep a failed lab's remains to look at (kind). */
  retain?: boolean;
  /** The kubeconfig context an existing-cluster lab uses (kubeconfig backend). */
  context?: string;
}

export function checkLabName(name: string, verb: string): void {
  const problem = labNameProblem(name);
  if (problem) throw new UserError(problem, { fix: labCommand(verb, suggestLabName(name)) });
}

/** The backend that owns the lab called `name`, or the default one when there is no such lab. */
async function backendOf(
  name: string,
  ctx: LabsContext,
): Promise<{ backend: ClusterBackend; exists: boolean }> {
  const header = readLabHeader(ctx.stateDir, name);
  return { backend: await createBackend(header?.backend ?? DEFAULT_BACKEND, ctx), exists: !!header };
}

export async function upLab(
  req: UpRequest,
  ctx: LabsContext,
  progress: Progress,
  signal: AbortSignal,
): Promise<UpResult> {
  const name = req.name ?? DEFAULT_LAB_NAME;
  checkLabName(name, 'up');
  const header = readLabHeader(ctx.stateDir, name);
  let backend: ClusterBackend;
  let spec: LabSpec;
  if (header) {
    backend = await createBackend(header.backend, ctx);
    spec = await existingLabSpec(name, header.backend, backend, req);
  } else {
    const resolved = resolveLabSpec(
      { name, labId: req.labId, nodes: req.nodes },
      ctx.definitionsDir ?? installPaths().labDefinitions,
    );
    backend = await createBackend(req.backend ?? resolved.definition.backend, ctx);
    spec = resolved.spec;
  }
  const options = { retain: req.retain, context: req.context };
  const issues = await backend.preflight(spec, options);
  // What only limits the lab is said once, with its fix, and the lab starts anyway.
  for (const i of issues.filter((x) => !x.blocking)) ctx.log.warn(`${i.problem} (fix: ${i.fix})`);
  const blocking = issues.filter((i) => i.blocking);
  if (blocking.length > 0)
    throw new UserError(`cannot start lab "${name}": ${blocking.map((i) => i.problem).join('; ')}`, {
      fix: blocking.map((i) => i.fix).join(' && '),
    });
  return backend.up(spec, progress, signal, options);
}

/**
 * An existing lab comes back as its backend recorded it, so the spec only names it; asking
 * for another backend, node count or lab definition is refused rather than silently ignored.
 */
async function existingLabSpec(
  name: string,
  recordedBackend: string,
  backend: ClusterBackend,
  req: UpRequest,
): Promise<LabSpec> {
  if (req.backend && req.backend !== recordedBackend)
    throw new UserError(
      `lab "${name}" already exists on the ${recordedBackend} backend; a lab cannot move to ${req.backend}`,
      { fix: `${labCommand('down', name)} && ${labCommand('up', name, `--backend ${req.backend}`)}` },
    );
  const current = await backend.status(name);
  const differs: string[] = [];
  if (req.nodes !== undefined && req.nodes !== current.nodes)
    differs.push(`it has ${current.nodes} nodes, you asked for ${req.nodes}`);
  if (req.labId !== undefined && req.labId !== current.labId)
    differs.push(`it was made from lab "${current.labId ?? 'default'}", you asked for "${req.labId}"`);
  if (differs.length > 0)
    throw new UserError(
      `lab "${name}" already exists and ${differs.join('; ')}. ` +
        'Its topology is fixed when it is created: remove it first (that deletes its state) or pick another name',
      { fix: `${labCommand('down', name)} && ${labCommand('up', name, upFlags(req))}` },
    );
  const nodes = current.nodes ?? 1;
  return {
    name,
    labId: current.labId ?? 'default',
    controlPlanes: 1,
    workers: nodes - 1,
    kubernetesVersion: current.kubernetesVersion ?? '',
    podSubnet: '',
    serviceSubnet: '',
  };
}

function upFlags(req: UpRequest): string {
  return [
    req.backend ? `--backend ${req.backend}` : '',
    req.labId ? `--lab ${req.labId}` : '',
    req.nodes !== undefined ? `--nodes ${req.nodes}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export async function downLab(name: string, ctx: LabsContext, progress?: Progress): Promise<DownResult> {
  checkLabName(name, 'down');
  const { backend, exists } = await backendOf(name, ctx);
  if (!exists) {
    // A directory without a record (an interrupted up) is still removed; no record, no lab.
    await backend.down(name, progress);
    return { name, removed: false };
  }
  return backend.down(name, progress);
}

export async function labStatus(name: string, ctx: LabsContext): Promise<LabStatus> {
  checkLabName(name, 'status');
  return (await backendOf(name, ctx)).backend.status(name);
}

/** Every lab in the state directory, with its status. */
export async function listLabs(ctx: LabsContext): Promise<LabStatus[]> {
  const names = labDirNames(ctx.stateDir).filter((n) => !labNameProblem(n));
  const all = await Promise.all(
    names.map(async (name) => {
      try {
        return await labStatus(name, ctx);
      } catch {
        return undefined; // A broken record: `status --name` explains it; the list skips it.
      }
    }),
  );
  return all.filter((s): s is LabStatus => s !== undefined && s.state !== 'absent');
}

export async function labKubeconfig(name: string, ctx: LabsContext): Promise<string> {
  checkLabName(name, 'kubeconfig');
  const { backend, exists } = await backendOf(name, ctx);
  if (!exists) throw noSuchLab(name, ctx);
  return backend.kubeconfig(name);
}

export async function labNodes(name: string, ctx: LabsContext) {
  checkLabName(name, 'status');
  const { backend, exists } = await backendOf(name, ctx);
  if (!exists) throw noSuchLab(name, ctx);
  return backend.nodes(name);
}

export function noSuchLab(name: string, ctx: LabsContext): UserError {
  const names = labDirNames(ctx.stateDir).filter((n) => readLabHeaderSafe(ctx.stateDir, n));
  const others = names.length > 0 ? ` (labs here: ${names.join(', ')})` : '';
  return new UserError(`there is no lab called "${name}"${others}`, { fix: labCommand('up', name) });
}

function readLabHeaderSafe(state: string, name: string): boolean {
  try {
    return !!readLabHeader(state, name);
  } catch {
    return false;
  }
}
