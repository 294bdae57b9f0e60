import { imageId } from '../images/catalog.js';
import { qualifiedName } from '../images/reference.js';
import { crictlInspect, crictlInspectp } from './crictl-inspect.js';
import { humanDuration, humanSize, parseFlags, tabwrite, truncId } from './format.js';
import type { ContainerOnNode, NodeModel, PodOnNode } from './node-model.js';

/**
 * `crictl` on a simulated node, shaped like cri-tools' output against CRI-O: `pods`, `ps`,
 * `images`, `inspect`, `inspectp`, `logs`, `version`. Tables use crictl's tabwriter layout
 * (min width 20, padding 3) and column names; filters are crictl's (`--name` and
 * `--namespace` are regular expressions, `--label k=v` repeats, `--state`).
 */

export interface ToolIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

const STATE: Record<string, string> = { created: 'Created', running: 'Running', exited: 'Exited' };

export function containerLabels(c: ContainerOnNode): Record<string, string> {
  const m = c.pod.pod.metadata;
  return {
    'io.kubernetes.container.name': c.container.name,
    'io.kubernetes.pod.name': m.name!,
    'io.kubernetes.pod.namespace': m.namespace!,
    'io.kubernetes.pod.uid': m.uid!,
  };
}

export function sandboxLabels(p: PodOnNode): Record<string, string> {
  const m = p.pod.metadata;
  return {
    ...(m.labels ?? {}),
    'io.kubernetes.pod.name': m.name!,
    'io.kubernetes.pod.namespace': m.namespace!,
    'io.kubernetes.pod.uid': m.uid!,
  };
}

const matchesLabels = (labels: Record<string, string>, wanted: string[]) =>
  wanted.every((kv) => {
    const [k, v = ''] = kv.split('=');
    return labels[k!] === v;
  });

function regex(pattern: string | undefined): RegExp | undefined {
  return pattern ? new RegExp(pattern) : undefined;
}

export function sandboxReady(p: PodOnNode): boolean {
  const phase = p.pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.pod.metadata.deletionTimestamp;
}

const VALUED = new Set([
  'name',
  'namespace',
  'label',
  'state',
  's',
  'id',
  'pod',
  'p',
  'o',
  'output',
  'image',
  'tail',
  'last',
  'n',
]);

function pods(args: string[], model: NodeModel, io: ToolIO): number {
  const { flags, error } = parseFlags(args, VALUED);
  if (error) return usage(io, error);
  const f = (k: string) => flags.get(k)?.[0];
  const name = regex(f('name'));
  const ns = regex(f('namespace'));
  const state = (f('state') ?? f('s'))?.toLowerCase();
  if (state && state !== 'ready' && state !== 'notready') {
    io.stderr('level=fatal msg="--state should be ready or notready"\n');
    return 1;
  }
  const now = model.source.now();
  let list = model
    .pods()
    .filter((p) => !f('id') || p.sandbox.id.startsWith(f('id')!))
    .filter((p) => (!name || name.test(p.pod.metadata.name!)) && (!ns || ns.test(p.pod.metadata.namespace!)))
    .filter((p) => matchesLabels(sandboxLabels(p), flags.get('label') ?? []))
    .filter((p) => !state || (state === 'ready') === sandboxReady(p))
    .sort((a, b) => b.sandbox.createdAt - a.sandbox.createdAt);
  if (flags.has('l') || flags.has('latest')) list = list.slice(0, 1);
  const noTrunc = flags.has('no-trunc');
  if (flags.has('q') || flags.has('quiet')) {
    for (const p of list) io.stdout(`${p.sandbox.id}\n`);
    return 0;
  }
  const rows = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME']];
  for (const p of list)
    rows.push([
      noTrunc ? p.sandbox.id : truncId(p.sandbox.id),
      `${humanDuration(now - p.sandbox.createdAt)} ago`,
      sandboxReady(p) ? 'Ready' : 'NotReady',
      p.pod.metadata.name!,
      p.pod.metadata.namespace!,
      '0',
      '(default)',
    ]);
  io.stdout(tabwrite(rows, 20, 3));
  return 0;
}

function ps(args: string[], model: NodeModel, io: ToolIO): number {
  const { flags, error } = parseFlags(args, VALUED);
  if (error) return usage(io, error);
  const f = (k: string) => flags.get(k)?.[0];
  const all = flags.has('a') || flags.has('all');
  const name = regex(f('name'));
  const ns = regex(f('namespace'));
  const state = (f('state') ?? f('s'))?.toLowerCase();
  const podId = f('pod') ?? f('p');
  const now = model.source.now();
  let list = model
    .containers()
    .filter((c) => (state ? c.container.state === state : all || c.container.state === 'running'))
    .filter((c) => !f('id') || c.container.id.startsWith(f('id')!))
    .filter((c) => !podId || c.pod.sandbox.id.startsWith(podId))
    .filter((c) => (!name || name.test(c.container.name)) && (!ns || ns.test(c.pod.pod.metadata.namespace!)))
    .filter((c) => matchesLabels(containerLabels(c), flags.get('label') ?? []))
    .sort((a, b) => b.container.createdAt - a.container.createdAt);
  if (flags.has('l') || flags.has('latest')) list = list.slice(0, 1);
  if (flags.has('q') || flags.has('quiet')) {
    for (const c of list) io.stdout(`${c.container.id}\n`);
    return 0;
  }
  if ((f('o') ?? f('output')) === 'json') {
    io.stdout(`${JSON.stringify({ containers: list.map((c) => containerJson(c)) }, null, 2)}\n`);
    return 0;
  }
  const noTrunc = flags.has('no-trunc');
  const rows = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']];
  for (const c of list)
    rows.push([
      noTrunc ? c.container.id : truncId(c.container.id),
      noTrunc
        ? `sha256:${imageId(c.container.config.image.ref)}`
        : truncId(imageId(c.container.config.image.ref)),
      `${humanDuration(now - c.container.createdAt)} ago`,
      STATE[c.container.state]!,
      c.container.name,
      String(c.container.config.attempt),
      noTrunc ? c.pod.sandbox.id : truncId(c.pod.sandbox.id),
      c.pod.pod.metadata.name!,
      c.pod.pod.metadata.namespace!,
    ]);
  io.stdout(tabwrite(rows, 20, 3));
  return 0;
}

function containerJson(c: ContainerOnNode) {
  return {
    id: c.container.id,
    podSandboxId: c.pod.sandbox.id,
    metadata: { name: c.container.name, attempt: c.container.config.attempt },
    image: { image: `sha256:${imageId(c.container.config.image.ref)}` },
    imageRef: c.container.config.image.imageRef,
    state: `CONTAINER_${c.container.state.toUpperCase()}`,
    createdAt: String(c.container.createdAt * 1_000_000),
    labels: containerLabels(c),
  };
}

function images(args: string[], model: NodeModel, io: ToolIO): number {
  const { flags } = parseFlags(args, VALUED);
  const list = model.source.runtime.images.list();
  if (flags.has('q') || flags.has('quiet')) {
    for (const i of list) io.stdout(`sha256:${imageId(i.ref)}\n`);
    return 0;
  }
  const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  for (const i of list) {
    const name = qualifiedName(i.ref).replace(/[:@][^/]*$/, '');
    rows.push([name, i.ref.tag ?? '<none>', truncId(imageId(i.ref)), humanSize(i.variant.sizeBytes)]);
  }
  rows.splice(1, rows.length - 1, ...rows.slice(1).sort((a, b) => a[0]!.localeCompare(b[0]!)));
  io.stdout(tabwrite(rows, 20, 3));
  return 0;
}

function findContainer(model: NodeModel, id: string): ContainerOnNode | undefined {
  return model.containers().find((c) => c.container.id.startsWith(id));
}

function logs(args: string[], model: NodeModel, io: ToolIO): number {
  const { flags, rest, error } = parseFlags(args, VALUED);
  if (error) return usage(io, error);
  const id = rest[0];
  const c = id ? findContainer(model, id) : undefined;
  if (!c) {
    io.stderr(
      `E0000 00:00:00.000000 remote_runtime.go:403] "ContainerStatus from runtime service failed" err="rpc error: code = NotFound desc = could not find container \\"${id ?? ''}\\": container with ID starting with ${id ?? ''} not found: ID does not exist"\n`,
    );
    return 1;
  }
  let lines = c.container.logs;
  const tail = Number(flags.get('tail')?.[0]);
  if (Number.isInteger(tail) && tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
  for (const l of lines) (l.stream === 'stdout' ? io.stdout : io.stderr)(`${l.text}\n`);
  return 0;
}

function usage(io: ToolIO, why: string): number {
  io.stderr(`Incorrect Usage: ${why}\n`);
  return 1;
}

const HELP = `NAME:
   crictl - client for CRI

USAGE:
   crictl [global options] command [command options]

COMMANDS:
   images, image, img  List images
   inspect             Display the status of one or more containers
   inspectp            Display the status of one or more pods
   logs                Fetch the logs of a container
   pods                List pods
   ps                  List containers
   version             Display runtime version information
`;

export function crictl(args: string[], model: NodeModel, io: ToolIO, crioVersion: string): number {
  const [cmd, ...rest] = args;
  switch (cmd) {
    case 'pods':
      return pods(rest, model, io);
    case 'ps':
      return ps(rest, model, io);
    case 'images':
    case 'image':
    case 'img':
      return images(rest, model, io);
    case 'inspect':
      return crictlInspect(rest, model, io, findContainer);
    case 'inspectp':
      return crictlInspectp(rest, model, io);
    case 'logs':
      return logs(rest, model, io);
    case 'version':
      io.stdout(
        `Version:  0.1.0\nRuntimeName:  cri-o\nRuntimeVersion:  ${crioVersion}\nRuntimeApiVersion:  v1\n`,
      );
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(HELP);
      return 0;
    default:
      io.stderr(`No help topic for '${cmd}'\n`);
      return 3;
  }
}
