// Newson & Krumm, "Hidden Markov Map Matching Through Noise and Sparseness", ACM GIS 2009, in log space as
// OSRM's include/engine/map_matching/hidden_markov_model.hpp (EmissionLogProbability, TransitionLogProbability).

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log p(z | x): zero-mean Gaussian of the great-circle distance from the observation to the candidate
 * (Newson & Krumm eq. 1) with standard deviation `sigmaM`.
 */
export function emissionLogProbability(distanceM: number, sigmaM: number): number {
  const z = distanceM / sigmaM;
  return -0.5 * (LOG_2PI + z * z) - Math.log(sigmaM);
}

/**
 * log p(x_t+1 | x_t): exponential of d_t = |great-circle − route distance| (Newson & Krumm eq. 2) with
 * scale `beta` metres.
 */
export function transitionLogProbability(deltaM: number, beta: number): number {
  return -Math.log(beta) - deltaM / beta;
}
