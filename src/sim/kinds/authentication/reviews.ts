import { defineKind } from '../define.js';

/**
 * authentication.k8s.io/v1: `kubectl auth whoami` (SelfSubjectReview) and TokenReview. Both
 * are create-only and store nothing; handlers.ts answers them. The TokenRequest a
 * `serviceaccounts/token` create takes is described here too, for decoding its body.
 */

const review = (kind: string, plural: string) =>
  defineKind({
    group: 'authentication.k8s.io',
    version: 'v1',
    kind,
    plural,
    namespaced: false,
    schema: `V1${kind}`,
    verbs: ['create'],
  });

export const selfSubjectReview = review('SelfSubjectReview', 'selfsubjectreviews');
export const tokenReview = review('TokenReview', 'tokenreviews');

/** Not served as a resource of its own: the body of `serviceaccounts/<name>/token`. */
export const tokenRequestType = defineKind({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenRequest',
  plural: 'tokenrequests',
  namespaced: true,
  schema: 'AuthenticationV1TokenRequest',
  verbs: ['create'],
});
