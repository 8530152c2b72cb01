import { ACCOUNTS } from '../db/tables.js';
import { findUser } from '../db/users.js';
import { apiErrors } from '../http/api-error.js';
import type { CrudResource } from '../http/crud-routes.js';
import { account, accountCreate, accountPatch } from './account-schemas.js';

export const accountResource: CrudResource = {
  path: '/accounts',
  tag: 'accounts',
  names: { ru: 'Лицевые счета', en: 'Consumer accounts' },
  table: ACCOUNTS,
  output: account,
  create: accountCreate,
  patch: accountPatch,
  read: ['admin', 'billing', 'consumer'],
  write: ['admin', 'billing'],
  toColumns: async (input, { tx }) => {
    const owner = input['ownerUserId'] as string | null | undefined;
    if (owner && (await findUser(tx, owner))?.role !== 'consumer') {
      throw apiErrors.validation([{ in: 'body', path: 'ownerUserId', message: 'must be a consumer login' }]);
    }
    return input;
  },
};
