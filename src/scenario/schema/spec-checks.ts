/** The probes of scenario.yaml and the check that holds one. */
import { parseFieldSelector, parseLabelSelector } from '../../checks/selectors.js';
import { BUILTIN_KINDS, groupsOf, isClusterScoped } from '../kinds.js';
import { closest } from '../suggest.js';
import { type Field, field, type Spec, str } from './dsl.js';
import {
  countSpec,
  dnsLabel,
  duration,
  jsonPath,
  PROBES,
  regexCheck,
  selectorCheck,
} from './spec-conditions.js';

const namespaceField = field(
  dnsLabel('The namespace; "default" when left out (for namespaced kinds).', 'shop'),
);
const labelSelector = field(
  str('Labels, as kubectl -l takes them: app=web,tier in (front)', {
    check: selectorCheck(parseLabelSelector),
  }),
);
const command: Field = field(
  {
    type: 'oneOf',
    expects: 'a command line (run with sh -c) or a list of arguments',
    description: 'A shell command line, or the argv list.',
    of: [
      str('Run with sh -c.'),
      { type: 'array', items: str('One argument.'), itemName: 'argument', minItems: 1 },
    ],
  },
  true,
  'command: cat /sys/fs/cgroup/memory.max',
);
const on = field(
  str('any: one target must satisfy the conditions (default); all: every target.', { enum: ['any', 'all'] }),
);
const timeout = field(duration('How long one run may take (default 10s).'));

const resource: Spec = {
  type: 'object',
  what: 'a resource probe',
  description: 'One object by name, or a selection by labels/fields with a count.',
  fields: {
    apiVersion: field(str('v1, apps/v1, …'), true, 'apiVersion: apps/v1'),
    kind: field(str('Deployment, Pod, …'), true, 'kind: Deployment'),
    namespace: namespaceField,
    name: field(str('One object by name.')),
    labelSelector,
    fieldSelector: field(str('Fields: status.phase=Running', { check: selectorCheck(parseFieldSelector) })),
    count: field(countSpec),
  },
  refine(v, report) {
    if (typeof v.apiVersion === 'string' && typeof v.kind === 'string')
      checkKind(v.apiVersion, v.kind, v.namespace, report);
    if (v.name !== undefined && (v.labelSelector !== undefined || v.fieldSelector !== undefined))
      report(
        v.labelSelector !== undefined ? 'labelSelector' : 'fieldSelector',
        'use "name" for one object or selectors for a selection, not both',
      );
    if (v.name !== undefined && v.count !== undefined)
      report('count', '"count" counts a selection; with "name" there is one object');
  },
};

function checkKind(
  apiVersion: string,
  kind: string,
  namespace: unknown,
  report: (k: string | undefined, m: string) => void,
): void {
  const known = BUILTIN_KINDS[apiVersion];
  const elsewhere = groupsOf(kind);
  if (known && !Object.hasOwn(known, kind)) {
    const near = closest(kind, Object.keys(known));
    if (elsewhere.length > 0)
      report('apiVersion', `${kind} is served as ${elsewhere.join(' or ')}, not ${apiVersion}`);
    else report('kind', `${apiVersion} has no kind "${kind}"${near ? `; did you mean "${near}"?` : ''}`);
    return;
  }
  if (!known && elsewhere.length > 0 && !apiVersion.includes('.')) {
    report(
      'apiVersion',
      `"${apiVersion}" is not an API version that serves ${kind}; write apiVersion: ${elsewhere[0]}`,
    );
    return;
  }
  if (namespace !== undefined && isClusterScoped(apiVersion, kind))
    report('namespace', `${kind} is cluster-scoped: leave "namespace" out`);
}

const event: Spec = {
  type: 'object',
  what: 'an event probe',
  description: 'Events (reason, type, involved object) in a namespace.',
  fields: {
    namespace: namespaceField,
    reason: field(str('OOMKilled, Scheduled, BackOff, …')),
    type: field(str('Normal or Warning.', { enum: ['Normal', 'Warning'] })),
    message: field(str('A regular expression the message must match.', { check: regexCheck })),
    involvedObject: field({
      type: 'object',
      what: 'an involved object',
      fields: { kind: field(str('Pod, Node, …')), name: field(str('Its name.')) },
    }),
    count: field(countSpec),
  },
  refine(v, report) {
    if (v.reason === undefined && v.involvedObject === undefined && v.message === undefined)
      report(undefined, 'an event probe needs "reason", "involvedObject" or "message" to pick its events');
  },
};

const nodeExec: Spec = {
  type: 'object',
  what: 'a nodeExec probe',
  description: "A command on the lab's nodes (needs the nodeExec capability).",
  fields: {
    node: field({
      type: 'object',
      what: 'a node choice',
      fields: {
        role: field(str('control-plane or worker.', { enum: ['control-plane', 'worker'] })),
        name: field(str('One node by name.')),
      },
    }),
    command,
    timeout,
    on,
  },
};

const podExec: Spec = {
  type: 'object',
  what: 'a podExec probe',
  description: "A command in a pod's container, like kubectl exec (needs the podExec capability).",
  fields: {
    namespace: namespaceField,
    pod: field(str('One pod by name.')),
    labelSelector,
    container: field(str('The container (default: the first).')),
    command,
    timeout,
    on,
  },
  refine(v, report) {
    if ((v.pod === undefined) === (v.labelSelector === undefined))
      report(
        v.pod === undefined ? undefined : 'labelSelector',
        'a podExec probe picks pods by "pod" or by "labelSelector" (one of them)',
      );
  },
};

const http: Spec = {
  type: 'object',
  what: 'an http probe',
  description: 'An HTTP request to a URL, or to a path on the lab API server with its credentials.',
  fields: {
    url: field(
      str('http:// or https:// URL.', {
        format: 'uri',
        check: (s) =>
          /^https?:\/\/[^/\s]+/.test(s)
            ? undefined
            : { message: 'a URL starts with http:// or https:// and a host' },
      }),
    ),
    apiServer: field(
      str('A path on the API server: /api/v1/namespaces/shop/services/web', {
        pattern: /^\//,
        patternHint: 'a path that starts with "/", like /api/v1/namespaces/shop/services/web',
      }),
    ),
    method: field(
      str('GET (default), HEAD, POST, …', { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] }),
    ),
    headers: field({ type: 'map', what: 'request headers', values: str('A header value.') }),
    body: field(str('The request body.')),
    timeout,
  },
  refine(v, report) {
    if ((v.url === undefined) === (v.apiServer === undefined))
      report(v.url === undefined ? undefined : 'apiServer', 'an http probe has either "url" or "apiServer"');
  },
};

const valueSource: Spec = {
  type: 'object',
  what: 'an answer source',
  description: 'Where the right answer comes from: a fixed value, or a path into what a probe sees.',
  fields: {
    value: field({ type: 'scalar', description: 'A fixed answer.' }),
    resource: field(resource),
    event: field(event),
    nodeExec: field(nodeExec),
    podExec: field(podExec),
    http: field(http),
    path: field(
      jsonPath('Where the answer is, in what the probe sees (default {.stdout} for exec, {.body} for http).'),
    ),
  },
  exactlyOne: {
    keys: ['value', 'resource', 'event', 'nodeExec', 'podExec', 'http'],
    none: 'an answer source needs one of: value, resource, event, nodeExec, podExec, http',
    many: 'an answer comes from one source; this one has %s',
  },
  refine(v, report) {
    if ((v.resource !== undefined || v.event !== undefined) && v.path === undefined)
      report(
        undefined,
        'an answer from a resource or event needs "path" (for example path: "{.spec.clusterIP}")',
      );
    if (v.value !== undefined && v.path !== undefined) report('path', 'a fixed "value" has no "path"');
  },
};

const answer: Spec = {
  type: 'object',
  what: 'an answer probe',
  description: 'The learner types a value that another probe computes.',
  fields: {
    prompt: field(
      str('The question the learner sees.'),
      true,
      'prompt: Which ClusterIP did the Service get?',
    ),
    from: field(valueSource, true, 'from: { resource: {...}, path: "{.spec.clusterIP}" }'),
    testAnswer: field({
      type: 'scalar',
      description: 'What `scenario test` types (default: the computed value).',
    }),
  },
};

const probeFields: Record<(typeof PROBES)[number], Field> = {
  resource: field(resource),
  event: field(event),
  nodeExec: field(nodeExec),
  podExec: field(podExec),
  http: field(http),
  answer: field(answer),
};

export const check: Spec = {
  type: 'object',
  what: 'a check',
  description: 'A probe, and the conditions that must hold there.',
  fields: {
    id: field(dnsLabel('Unique within the step.', 'replicas-ready'), true, 'id: replicas-ready'),
    description: field(
      str('What the learner sees: "The Deployment has 3 replicas".'),
      true,
      'description: The Deployment has 3 replicas',
    ),
    failure: field(str('Your words for a failure, shown above expected vs actual.')),
    holdsFor: field(duration('It must hold this long without a break (a flapping rollout must not pass).')),
    ...probeFields,
    expect: field({
      type: 'array',
      items: { type: 'ref', name: 'condition' },
      itemName: 'condition',
      description: 'Conditions that must all hold.',
    }),
  },
  exactlyOne: {
    keys: PROBES,
    none: `a check needs one probe: ${PROBES.join(', ')}`,
    many: 'a check has one probe, but this one has %s; make them two checks',
  },
  refine(v, report) {
    if (v.answer !== undefined && v.expect !== undefined)
      report('expect', 'an answer check compares the answer itself; it takes no "expect"');
  },
};
