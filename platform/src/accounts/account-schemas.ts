import { z } from 'zod';
import { rowMeta, uuid } from '../http/common-schemas.js';

// Minimal consumer account (лицевой счёт); billing (a later issue) adds residents, norms, charges.
const accountFields = {
  number: z.string().regex(/^[0-9A-Za-z-]{1,30}$/),
  holderName: z.string().min(1).max(300),
  kind: z.enum(['individual', 'legal']),
  address: z.string().min(1).max(500),
  siteId: uuid.nullable().optional(),
  ownerUserId: uuid.nullable().optional().describe('the consumer who sees it in the personal cabinet'),
};
export const accountCreate = z.object(accountFields);
export const accountPatch = accountCreate.partial();
export const account = z.object({
  ...rowMeta,
  ...accountFields,
  siteId: uuid.nullable(),
  ownerUserId: uuid.nullable(),
});
