import { defineKind } from '../define.js';

/**
 * authorization.k8s.io/v1: the review APIs `kubectl auth can-i` calls. They are create-only
 * and store nothing; `src/sim/api/handlers/virtual.ts` routes their creates to handlers.ts.
 */

const review = (kind: string, plural: string, namespaced = false) =>
  defineKind({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind,
    plural,
    namespaced,
    schema: `V1${kind}`,
    verbs: ['create'],
  });

export const localSubjectAccessReview = review('LocalSubjectAccessReview', 'localsubjectaccessreviews', true);
export const selfSubjectAccessReview = review('SelfSubjectAccessReview', 'selfsubjectaccessreviews');
export const selfSubjectRulesReview = review('SelfSubjectRulesReview', 'selfsubjectrulesreviews');
export const subjectAccessReview = review('SubjectAccessReview', 'subjectaccessreviews');
