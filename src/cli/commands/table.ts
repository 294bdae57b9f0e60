import type { CommandContext } from '../context.js';

/** One option of a command, in commander's flag syntax (`--nodes <count>`). */
export interface OptionSpec {
  flags: string;
  description: string;
  /** `count`: a node count, `times`: a repeat count; both whole numbers ≥ 1. */
  value?: 'count' | 'times';
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
  /** A group (`scenario`): its subcommands; the group alone prints its help. */
  subcommands?: CommandSpec[];
  load(): Promise<CommandModule>;
}

const name: OptionSpec = { flags: '--name <name>', description: 'the lab (default: "lab")' };
const json: OptionSpec = { flags: '--json', description: 'print one JSON document for scripts' };

export const COMMANDS: CommandSpec[] = [
  {
    name: 'home',
    summary: 'open the app: backends, labs and the scenario catalog (what `clusterlab` alone does)',
    args: '[paths...]',
    options: [{ flags: '--name <name>', description: 'the lab scenarios run on (default: "lab")' }],
    examples: [
      ['clusterlab home', 'the Home screen, with the built-in scenarios'],
      ['clusterlab home ./my-scenarios', 'also offer the scenarios in a folder'],
    ],
    foreground: true,
    load: () => import('./home.js'),
  },
  {
    name: 'start',
    summary: 'work through a scenario in the app, its checks live; brings the lab up first if needed',
    args: '<scenario>',
    options: [
      {
        flags: '--backend <backend>',
        description: 'what runs a lab that does not exist yet: sim (default), kind, kubeconfig',
      },
      { flags: '--name <name>', description: 'the lab (default: "lab"); your progress is kept per lab' },
      { flags: '--trust', description: "trust a scenario folder's scripts without asking (remembered)" },
    ],
    examples: [
      ['clusterlab start cgroups-memory', 'a built-in scenario on the lab "lab" (started if needed)'],
      ['clusterlab start ./my-scenario --trust', 'a scenario folder of your own'],
      ['clusterlab start cgroups-memory --backend kind --name real', 'on a kind lab called "real"'],
    ],
    foreground: true,
    load: () => import('./start.js'),
  },
  {
    name: 'up',
    summary: 'start a lab (or bring a stopped one back with its state); returns when its API answers',
    options: [
      {
        flags: '--backend <backend>',
        description:
          'what runs the lab: sim (built in), kind (CRI-O nodes in Docker), kubeconfig (an existing cluster)',
      },
      name,
      {
        flags: '--nodes <count>',
        description: 'total node count: one control plane, the rest workers (default 3)',
        value: 'count',
      },
      { flags: '--lab <id>', description: 'a lab definition from labs/<id>.yaml (default: "default")' },
      {
        flags: '--retain',
        description: 'kind: keep what a failed or interrupted up made, to look at (down removes it)',
      },
      {
        flags: '--context <context>',
        description:
          'kubeconfig: the context of $KUBECONFIG (or ~/.kube/config) to use (default: its current one)',
      },
      { flags: '--json', description: 'print the lab (name, server, kubeconfig) as JSON when it is up' },
    ],
    examples: [
      ['clusterlab up', 'a 3-node lab named "lab" on the built-in simulated cluster'],
      ['clusterlab up --name cka --nodes 2', 'a second lab with one control plane and one worker'],
      ['clusterlab up --lab single-node', 'a lab from labs/single-node.yaml'],
      [
        'clusterlab up --backend kind',
        'a real 3-node kind cluster whose nodes run CRI-O (needs Docker and kind)',
      ],
      ['clusterlab up --backend kubeconfig --context workshop', 'your own namespace on a shared cluster'],
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
    name: 'ssh',
    summary: "open a root shell on one of the lab's nodes (crictl, /sys/fs/cgroup, /proc, ip addr…)",
    args: '[node]',
    options: [name],
    examples: [
      ['clusterlab ssh lab-worker', 'a shell on the first worker of the lab "lab"; exit returns here'],
      ['clusterlab ssh worker --name cka', 'kind\'s short name works too: the worker of the lab "cka"'],
    ],
    foreground: true,
    load: () => import('./ssh.js'),
  },
  {
    name: 'node',
    summary: "run commands on the lab's nodes: node exec",
    options: [],
    examples: [['clusterlab node exec lab-worker -- crictl ps', 'the containers running on lab-worker']],
    load: async () => ({ run: (await import('./node-exec.js')).group.run }),
    subcommands: [
      {
        name: 'exec',
        summary: 'run one command on a node; its stdout, stderr and exit code are passed through',
        args: '[node] [command...]',
        options: [name, json],
        examples: [
          ['clusterlab node exec lab-worker -- crictl pods', 'the pod sandboxes on lab-worker'],
          [
            "clusterlab node exec worker -- sh -c 'cat /sys/fs/cgroup/kubepods.slice/cpu.weight'",
            'a shell command on the worker',
          ],
          [
            'clusterlab node exec --json lab-control-plane -- lsns -t net',
            'the result as JSON (options go before the node)',
          ],
        ],
        passThrough: true,
        load: () => import('./node-exec.js'),
      },
    ],
  },
  {
    name: 'scenario',
    summary: 'author and test scenarios: list, new, validate, test, watch, schema, trust',
    options: [],
    examples: [
      ['clusterlab scenario list', 'the built-in scenarios, and which steps this lab can run'],
      ['clusterlab scenario new my-scenario', 'a new scenario folder that validates, to edit'],
      ['clusterlab scenario test my-scenario --trust', 'prove it on a fresh lab'],
    ],
    load: () => import('./scenario/group.js'),
    subcommands: [
      {
        name: 'list',
        summary:
          'list scenarios (built-in, or in the given folders) with level, time and what this lab can run',
        args: '[paths...]',
        options: [
          json,
          {
            flags: '--name <name>',
            description: 'the lab whose backend decides what can run (default: "lab")',
          },
        ],
        examples: [
          ['clusterlab scenario list', 'the built-in scenarios'],
          ['clusterlab scenario list ./my-scenarios --json', 'the scenarios in a folder, as JSON'],
        ],
        load: () => import('./scenario/list.js'),
      },
      {
        name: 'new',
        summary: 'create a scenario folder (scenario.yaml, a step, its solution, scripts) that validates',
        args: '<id>',
        options: [
          { flags: '--dir <dir>', description: 'where to create it (default: the current directory)' },
        ],
        examples: [
          ['clusterlab scenario new cgroups-memory', 'creates ./cgroups-memory and ./scenario.schema.json'],
        ],
        load: () => import('./scenario/new.js'),
      },
      {
        name: 'validate',
        summary: 'check scenarios without a lab; every problem as file:line:col with what to write instead',
        args: '[paths...]',
        options: [json],
        examples: [
          ['clusterlab scenario validate', 'the scenario in this folder (or the built-in ones)'],
          ['clusterlab scenario validate scenarios/*', 'several at once'],
        ],
        load: () => import('./scenario/validate.js'),
      },
      {
        name: 'test',
        summary:
          'on a fresh lab, per step: setup, checks must fail, solution, checks must pass, cleanup (exit 1 on failure)',
        args: '[paths...]',
        options: [
          { flags: '--all', description: 'every built-in scenario' },
          { flags: '--backend <backend>', description: 'what runs the test labs (default: sim)' },
          {
            flags: '--repeat <times>',
            description: 'run each scenario this many times, to catch flaky checks',
            value: 'times',
          },
          { flags: '--json', description: 'print the results as one JSON document' },
          { flags: '--junit <file>', description: 'also write the results as JUnit XML (for CI)' },
          {
            flags: '--trust',
            description: "trust the scenario folders' scripts without asking (remembered)",
          },
        ],
        examples: [
          ['clusterlab scenario test ./my-scenario --trust', 'test one scenario folder'],
          [
            'clusterlab scenario test --all --repeat 3 --junit results.xml',
            'every built-in scenario three times, for CI',
          ],
        ],
        load: () => import('./scenario/test.js'),
      },
      {
        name: 'watch',
        summary: 're-validate and re-test a scenario whenever its files change (Ctrl-C stops)',
        args: '<path>',
        options: [
          { flags: '--backend <backend>', description: 'what runs the test labs (default: sim)' },
          { flags: '--no-test', description: 'only validate on change' },
          { flags: '--trust', description: "trust the folder's scripts without asking" },
        ],
        examples: [['clusterlab scenario watch ./my-scenario --trust', 'validate and test on every save']],
        load: () => import('./scenario/watch.js'),
      },
      {
        name: 'schema',
        summary: 'print the JSON Schema of scenario.yaml (editors complete and check fields with it)',
        options: [{ flags: '--out <file>', description: 'write it to a file instead' }],
        examples: [
          ['clusterlab scenario schema --out scenario.schema.json', 'a schema file for your editor'],
        ],
        load: () => import('./scenario/schema.js'),
      },
      {
        name: 'trust',
        summary: "allow a scenario folder's scripts to run (remembered until its files change)",
        args: '<paths...>',
        options: [],
        examples: [['clusterlab scenario trust ./my-scenario', 'after reading its scripts']],
        load: () => import('./scenario/trust.js'),
      },
    ],
  },
  {
    name: 'progress',
    summary: "manage learners' scenario progress (kept per learner, lab and scenario)",
    options: [],
    examples: [['clusterlab progress reset --scenario cgroups-memory', 'start that scenario over']],
    load: () => import('./progress/group.js'),
    subcommands: [
      {
        name: 'reset',
        summary: 'forget progress, so the scenario starts again at its first step',
        options: [
          { flags: '--scenario <id>', description: 'the scenario' },
          { flags: '--name <name>', description: 'only on this lab (default: on every lab)' },
          {
            flags: '--learner <learner>',
            description: 'whose (default: $CLUSTERLAB_LEARNER or your login name)',
          },
          { flags: '--all', description: 'every scenario' },
          json,
        ],
        examples: [
          ['clusterlab progress reset --scenario cgroups-memory', 'start that scenario over on every lab'],
          ['clusterlab progress reset --all --name cka', 'forget all progress made on the lab "cka"'],
        ],
        load: () => import('./progress/reset.js'),
      },
    ],
  },
  {
    name: 'prefetch',
    summary:
      'pull every image the kind labs and scenarios need into a local cache, so labs start without the internet',
    options: [
      { flags: '--lab <id>', description: 'only for this lab definition (default: every kind lab in labs/)' },
      { flags: '--list', description: 'only print the images it would cache, one a line; pull nothing' },
      json,
    ],
    examples: [
      ['clusterlab prefetch', 'before a workshop, on a good network: node image, cache, every image'],
      ['clusterlab prefetch --list', 'the images the kind labs need, e.g. to mirror them elsewhere'],
      ['clusterlab prefetch --lab kind-serverless', 'only what labs/kind-serverless.yaml needs'],
    ],
    load: () => import('./prefetch.js'),
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

/** A command by its full name (`up`, `scenario test`). */
export function findCommand(name: string): CommandSpec | undefined {
  const [top, sub] = name.split(' ');
  const spec = COMMANDS.find((c) => c.name === top);
  return sub === undefined ? spec : spec?.subcommands?.find((c) => c.name === sub);
}

export const VERBOSE: OptionSpec = {
  flags: '--verbose',
  description: 'show debug messages and stack traces',
};
