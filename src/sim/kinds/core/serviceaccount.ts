import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { defineKind } from '../define.js';

/** ServiceAccounts (no token Secrets since 1.24: the SECRETS column counts only listed ones). */
export const serviceAccount = defineKind({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  shortNames: ['sa'],
  namespaced: true,
  schema: 'V1ServiceAccount',
  subresources: [
    {
      name: 'token',
      kind: 'TokenRequest',
      group: 'authentication.k8s.io',
      version: 'v1',
      verbs: ['create'],
    },
  ],
  table: {
    columns: [
      nameColumn(),
      col(
        'Secrets',
        'string',
        '',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
      ageColumn(),
    ],
    row: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o.metadata.creationTimestamp, now)],
  },
});
