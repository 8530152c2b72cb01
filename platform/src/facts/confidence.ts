import type { Evidence } from './types.js';

/**
 * How much one kind of evidence alone says that a site was served. Kinds combine by noisy-OR,
 * 1 − Π(1 − w), each kind counted once however many items it has:
 *   GNSS stop in the geofence alone                      0.6
 *   stop + lift-arm cycles                               1 − 0.4·0.125       = 0.95
 *   stop + lifts + driver report                         1 − 0.4·0.125·0.2   = 0.99
 *   stop + lifts + RFID tag of the site's own container  1 − 0.4·0.125·0.5   = 0.975
 *   lifts in the geofence without a stop (GNSS gap)      0.875
 *   driver report alone                                  0.8, and always needs review
 * A driver report whose coordinates lie far from the site counts as DRIVER_FAR (a photo taken
 * elsewhere proves little).
 */
export const EVIDENCE_WEIGHT = {
  'gnss-stop': 0.6,
  lift: 0.875,
  rfid: 0.5,
  driver: 0.8,
} as const;

const DRIVER_FAR_WEIGHT = 0.3;
/** Beyond this distance from the site, a driver report is "far", metres. */
export const DRIVER_FAR_M = 150;
/** Facts below this need review and do not count as served. */
export const ACCEPT_CONFIDENCE = 0.6;

export function factConfidence(evidence: readonly Evidence[]): number {
  // Per kind the strongest item; the same kind again adds nothing.
  const strongest = { 'gnss-stop': 0, lift: 0, rfid: 0, driver: 0 };
  for (const item of evidence) {
    const weight =
      item.kind === 'driver' && item.distanceM > DRIVER_FAR_M
        ? DRIVER_FAR_WEIGHT
        : EVIDENCE_WEIGHT[item.kind];
    strongest[item.kind] = Math.max(strongest[item.kind], weight);
  }
  let doubt = 1;
  for (const weight of Object.values(strongest)) doubt *= 1 - weight;
  return Math.round((1 - doubt) * 1000) / 1000;
}

/** Telematics (GNSS, lift arm, RFID) is the evidence a carrier is paid on; a report alone is not. */
export function needsReview(evidence: readonly Evidence[], confidence: number): boolean {
  return confidence < ACCEPT_CONFIDENCE || !evidence.some((item) => item.kind !== 'driver');
}
