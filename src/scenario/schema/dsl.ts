/**
 * One description of the scenario format drives both the validator (with file:line:col
 * errors that say what to write instead) and the JSON Schema editors complete from, so the
 * two cannot drift apart.
 */

/** A problem inside a string value (a JSONPath, a regex, a selector), at `offset` in it. */
export interface StringProblem {
  message: string;
  offset?: number;
}

interface Common {
  description?: string;
}

export type Spec =
  | (Common & {
      type: 'string';
      enum?: readonly string[];
      pattern?: RegExp;
      /** What a valid value looks like, for the error when `pattern` fails. */
      patternHint?: string;
      check?: (value: string) => StringProblem | undefined;
      /** JSON Schema format hint for editors. */
      format?: string;
    })
  | (Common & { type: 'integer'; min?: number; max?: number })
  | (Common & { type: 'boolean'; only?: boolean })
  | (Common & { type: 'scalar' })
  | (Common & { type: 'duration' })
  | (Common & { type: 'file'; ext: string; dirHint: string })
  | (Common & { type: 'array'; items: Spec; minItems?: number; itemName: string })
  | (Common & {
      type: 'object';
      /** `a resource probe`: how errors name this mapping. */
      what: string;
      fields: Record<string, Field>;
      /** Exactly one of these keys must be present (a check's probe). */
      exactlyOne?: { keys: readonly string[]; none: string; many: string };
      /** Rules across fields; `report(key, message)` points at that key (or the mapping). */
      refine?: (
        value: Record<string, unknown>,
        report: (key: string | undefined, message: string) => void,
      ) => void;
    })
  | (Common & { type: 'map'; what: string; values: Spec })
  | (Common & { type: 'oneOf'; of: Spec[]; expects: string })
  | (Common & { type: 'ref'; name: string });

export interface Field {
  spec: Spec;
  required?: boolean;
  /** How to write it, for "missing field" errors: `kind: Deployment`. */
  example?: string;
}

export interface SchemaDefs {
  root: Spec;
  defs: Record<string, Spec>;
}

export const str = (description: string, extra: Partial<Extract<Spec, { type: 'string' }>> = {}): Spec => ({
  type: 'string',
  description,
  ...extra,
});

export const int = (description: string, min?: number, max?: number): Spec => ({
  type: 'integer',
  description,
  min,
  max,
});

export const field = (spec: Spec, required = false, example?: string): Field => ({ spec, required, example });
