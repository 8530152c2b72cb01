import { z } from 'zod';

export const uuid = z.uuid();
export const idParams = z.object({ id: uuid });

/**
 * An exact decimal as a string ("612.30"): money and measures never pass through binary floats
 * (PostgreSQL NUMERIC in the database, decimal.js where the code computes).
 */
export function decimalString(integerDigits: number, scale: number, meaning: string) {
  const pattern = `^(0|[1-9][0-9]{0,${integerDigits - 1}})(\\.[0-9]{1,${scale}})?$`;
  return z
    .string()
    .regex(new RegExp(pattern), `a decimal string with up to ${integerDigits} digits and ${scale} decimals`)
    .describe(meaning);
}

export const isoDate = z.iso.date().describe('YYYY-MM-DD');
export const timestamp = z.string().describe('ISO-8601, UTC');
export const lon = z.number().min(-180).max(180).describe('WGS84 longitude, degrees');
export const lat = z.number().min(-90).max(90).describe('WGS84 latitude, degrees');

export const pagination = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

export const rowMeta = { id: uuid, createdAt: timestamp, updatedAt: timestamp };

/** GeoJSON Polygon (RFC 7946): rings of [lon, lat], each closed, the outer one first. */
export const geoJsonPolygon = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z
      .array(
        z
          .array(z.tuple([lon, lat]))
          .min(4)
          .max(1000),
      )
      .min(1)
      .max(10),
  })
  .refine(
    (polygon) =>
      polygon.coordinates.every((ring) => {
        const first = ring[0]!;
        const last = ring[ring.length - 1]!;
        return first[0] === last[0] && first[1] === last[1];
      }),
    'every ring must end where it starts',
  );
export type GeoJsonPolygon = z.infer<typeof geoJsonPolygon>;

/** One row of the audit log: who changed what, when, and the entity before and after. */
export const auditEntry = z.object({
  id: z.string(),
  at: timestamp,
  actorId: z.string().nullable(),
  actorRole: z.string(),
  action: z.enum(['create', 'update', 'delete']),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
