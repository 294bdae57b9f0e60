/** The pieces the check language is built from: names, string checks, counts, conditions. */
import { JsonPathError, parseJsonPath } from '../../checks/jsonpath/parse.js';
import { toNumber } from '../../checks/quantity.js';
import { SelectorError } from '../../checks/selectors.js';
import { field, int, type Spec, type StringProblem, str } from './dsl.js';

export const PROBES = ['resource', 'event', 'nodeExec', 'podExec', 'http', 'answer'] as const;
export const BACKENDS = ['sim', 'kind', 'vagrant', 'kubeconfig'] as const;
export const DIFFICULTIES = ['beginner', 'intermediate', 'advanced'] as const;
export const TESTS = [
  'equals',
  'notEquals',
  'matches',
  'exists',
  'absent',
  'gt',
  'gte',
  'lt',
  'lte',
  'count',
] as const;
export const COMBINATORS = ['all', 'any', 'not'] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = (description: string, example: string): Spec =>
  str(description, {
    pattern: DNS_LABEL,
    patternHint: `lowercase letters, digits and "-", like "${example}"`,
  });

export const jsonPathCheck = (s: string): StringProblem | undefined => {
  try {
    parseJsonPath(s);
    return undefined;
  } catch (e) {
    if (e instanceof JsonPathError)
      return { message: `this JSONPath does not parse: ${e.message}`, offset: e.offset };
    throw e;
  }
};

export const regexCheck = (s: string): StringProblem | undefined => {
  try {
    new RegExp(s);
    return undefined;
  } catch (e) {
    return {
      message: `this regular expression does not parse: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
    };
  }
};

export const selectorCheck =
  (parse: (s: string) => unknown) =>
  (s: string): StringProblem | undefined => {
    try {
      parse(s);
      return undefined;
    } catch (e) {
      if (e instanceof SelectorError) return { message: e.message, offset: e.offset };
      throw e;
    }
  };

export const jsonPath = (description: string): Spec => str(description, { check: jsonPathCheck });
export const duration = (description: string): Spec => ({ type: 'duration', description });
export const script = (description: string, dirHint = 'solutions/01.sh'): Spec => ({
  type: 'file',
  ext: '.sh',
  dirHint,
  description,
});

export const countSpec: Spec = {
  type: 'oneOf',
  expects: 'a whole number (count: 3), "all", or a comparison like {gte: 1}',
  description: 'How many: a number, "all", or a comparison such as {gte: 2}.',
  of: [
    int('Exactly this many.', 0),
    str('Every selected object.', { enum: ['all'] }),
    {
      type: 'object',
      what: 'a count comparison',
      fields: {
        equals: field(int('Exactly this many.', 0)),
        gt: field(int('More than this many.', 0)),
        gte: field(int('At least this many.', 0)),
        lt: field(int('Fewer than this many.', 0)),
        lte: field(int('At most this many.', 0)),
      },
      exactlyOne: {
        keys: ['equals', 'gt', 'gte', 'lt', 'lte'],
        none: 'a count comparison needs one of: equals, gt, gte, lt, lte (like {gte: 2})',
        many: 'a count comparison takes one of equals, gt, gte, lt, lte; this one has %s',
      },
    },
  ],
};

export const comparable: Spec = {
  type: 'scalar',
  description: 'A number or a Kubernetes quantity (128Mi, 500m).',
};

export const condition: Spec = {
  type: 'object',
  what: 'a condition',
  description: 'A test on a JSONPath ({.status.phase} equals Running), or all/any/not of conditions.',
  fields: {
    path: field(jsonPath("Where to look, in kubectl's JSONPath syntax: {.status.phase}")),
    equals: field({ type: 'scalar', description: 'What kubectl -o jsonpath prints there, exactly.' }),
    notEquals: field({ type: 'scalar', description: 'Anything but this.' }),
    matches: field(str('A regular expression the printed value must match.', { check: regexCheck })),
    exists: field({ type: 'boolean', only: true, description: 'The path has a value.' }),
    absent: field({ type: 'boolean', only: true, description: 'The path has no value.' }),
    gt: field(comparable),
    gte: field(comparable),
    lt: field(comparable),
    lte: field(comparable),
    count: field(countSpec),
    all: field({
      type: 'array',
      items: { type: 'ref', name: 'condition' },
      itemName: 'condition',
      minItems: 1,
    }),
    any: field({
      type: 'array',
      items: { type: 'ref', name: 'condition' },
      itemName: 'condition',
      minItems: 1,
    }),
    not: field({ type: 'ref', name: 'condition' }),
  },
  refine(v, report) {
    const combinators = COMBINATORS.filter((k) => k in v);
    const tests = TESTS.filter((k) => k in v);
    if (combinators.length > 1)
      return report(
        combinators[1],
        `a condition is one of all, any or not; put "${combinators[1]}" in its own list item`,
      );
    if (combinators.length === 1) {
      if ('path' in v || tests.length > 0)
        report(
          'path' in v ? 'path' : tests[0],
          `"${combinators[0]}" groups conditions; put "path" and its tests inside it`,
        );
      return;
    }
    if (!('path' in v))
      return report(
        undefined,
        'a condition needs "path" (for example path: "{.status.phase}") and a test such as equals',
      );
    if (tests.length === 0)
      return report('path', `a condition needs a test next to "path": ${TESTS.join(', ')}`);
    for (const k of ['gt', 'gte', 'lt', 'lte'] as const)
      if (k in v && v[k] !== undefined && toNumber(v[k]) === undefined)
        report(k, `"${k}" compares numbers or quantities (3, 0.5, 128Mi, 500m); "${v[k]}" is neither`);
  },
};
