import type { CommandContext } from '../context.js';

/** One option of a command, in commander's flag syntax (`--nodes <count>`). */
export interface OptionSpec {
  flags: string;
  description: string;
  /** `count`: a whole number ≥ 1. */
  value?: 'count';
}

export interface CommandModule {
  run(options: Record<string, unknown>, args: string[], ctx: CommandContext): Promise<number>;
}

/** A command as data: what it is called, what it takes, examples for --help, and where its code lives. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments in commander's syntax (`[args...]`). */
  args?: string;
  options: OptionSpec[];
  examples: Array<[command: string, what: string]>;
  /** The command hands the terminal to another program (kubectl, a shell): Ctrl-C is theirs. */
  foreground?: boolean;
  /** Options after the first argument belong to the program it runs (`kubectl get pods -o wide`). */
  passThrough?: boolean;
  load(): Promise<CommandModule>;
}

const name: OptionSpec = { flags: '--name <name>', description: 'the lab (default: "lab")' };
const json: OptionSpec = { flags: '--json', description: 'print one JSON document for scripts' };

export const COMMANDS: CommandSpec[] = [
  {
    name: 'up',
    summary: 'start a lab (or bring a stopped one back with its state); returns when its API answers',
    options: [
      {
        flags: '--backend <backend>',
        description: 'what runs the lab: sim (built in; kind, vagrant, kubeconfig later)',
      },
      name,
      {
        flags: '--nodes <count>',
        description: 'total node count: one control plane, the rest workers (default 3)',
        value: 'count',
      },
      { flags: '--lab <id>', description: 'a lab definition from labs/<id>.yaml (default: "default")' },
      { flags: '--json', description: 'print the lab (name, server, kubeconfig) as JSON when it is up' },
    ],
    examples: [
      ['clusterlab up', 'a 3-node lab named "lab" on the built-in simulated cluster'],
      ['clusterlab up --name cka --nodes 2', 'a second lab with one control plane and one worker'],
      ['clusterlab up --lab single-node', 'a lab from labs/single-node.yaml'],
    ],
    load: () => import('./up.js'),
  },
  {
    name: 'down',
    summary: 'stop a lab and delete it with all its state (nothing to do when it does not exist)',
    options: [name, json],
    examples: [
      ['clusterlab down', 'remove the lab named "lab"'],
      ['clusterlab down --name cka', 'remove the lab named "cka"'],
    ],
    load: () => import('./down.js'),
  },
  {
    name: 'status',
    summary: 'tell whether a lab is running, unresponsive, crashed or stopped (exit 0 only when running)',
    options: [name, json],
    examples: [
      ['clusterlab status', 'the state of the lab named "lab", with what to do next'],
      ['clusterlab status --name cka --json', 'the same as JSON'],
    ],
    load: () => import('./status.js'),
  },
  {
    name: 'list',
    summary: 'list all labs with their backend, status, nodes and age',
    options: [json],
    examples: [
      ['clusterlab list', 'a table of labs'],
      ['clusterlab list --json', 'the same as JSON'],
    ],
    load: () => import('./list.js'),
  },
  {
    name: 'kubeconfig',
    summary: "print the path of a lab's kubeconfig (it is never merged into ~/.kube/config)",
    options: [name],
    examples: [
      ['export KUBECONFIG=$(clusterlab kubeconfig)', 'point kubectl in this shell at the lab'],
      ['kubectl --kubeconfig "$(clusterlab kubeconfig --name cka)" get nodes', 'use it for one command'],
    ],
    load: () => import('./kubeconfig.js'),
  },
  {
    name: 'kubectl',
    summary:
      "run the real kubectl against a lab (with the lab's kubeconfig); its exit code is passed through",
    args: '[args...]',
    options: [name],
    examples: [
      ['clusterlab kubectl -- get nodes -o wide', 'kubectl get nodes -o wide against the lab named "lab"'],
      ['clusterlab kubectl --name cka -- get pods -A', 'against the lab named "cka"'],
    ],
    foreground: true,
    passThrough: true,
    load: () => import('./kubectl.js'),
  },
  {
    name: 'shell',
    summary: "open a subshell with KUBECONFIG set to the lab's and its name in the prompt",
    options: [name],
    examples: [
      ['clusterlab shell', 'a shell for the lab named "lab"; exit returns here'],
      ['clusterlab shell --name cka', 'a shell for the lab named "cka"'],
    ],
    foreground: true,
    load: () => import('./shell.js'),
  },
  {
    name: 'info',
    summary:
      'print where clusterlab keeps things (state directory, lab directories) and what this host lacks',
    options: [json],
    examples: [['clusterlab info', 'every path clusterlab uses']],
    load: () => import('./info.js'),
  },
];

export const VERBOSE: OptionSpec = {
  flags: '--verbose',
  description: 'show debug messages and stack traces',
};
