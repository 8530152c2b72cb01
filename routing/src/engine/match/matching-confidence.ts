// OSRM include/engine/map_matching/matching_confidence.hpp: a two-class naive Bayes classifier on
// log(matched length / trace length), both classes Laplace distributions fitted by OSRM to manually
// classified traces. The parameters are OSRM's, unchanged.
const VALID_LOCATION = 0.005986;
const VALID_SCALE = 0.016646;
const INVALID_LOCATION = 0.054385;
const INVALID_SCALE = 0.458432;
const VALID_APRIORI = 0.696774;

const LOG_VALID_APRIORI = Math.log(VALID_APRIORI);
const LOG_INVALID_APRIORI = Math.log(1 - VALID_APRIORI);

function laplaceLogDensity(x: number, location: number, scale: number): number {
  return -Math.log(2 * scale) - Math.abs(x - location) / scale;
}

/**
 * OSRM's sub-matching confidence in [0, 1]: the posterior probability that a matching is valid given how much
 * longer (or shorter) the matched route is than the straight lines between its observations.
 * 0 when either length is 0 (OSRM: "matched to the same point").
 */
export function matchingConfidence(traceLengthM: number, matchedLengthM: number): number {
  const feature = Math.log(matchedLengthM) - Math.log(traceLengthM);
  if (!Number.isFinite(feature)) return 0;
  // OSRM returns P(valid) for both labels (1 − P(invalid) when invalid wins); computed as a logistic of
  // the log-odds so neither density underflows to 0/0 for extreme features.
  const logValid = LOG_VALID_APRIORI + laplaceLogDensity(feature, VALID_LOCATION, VALID_SCALE);
  const logInvalid = LOG_INVALID_APRIORI + laplaceLogDensity(feature, INVALID_LOCATION, INVALID_SCALE);
  return 1 / (1 + Math.exp(logInvalid - logValid));
}
