import type { UnassignedReason } from '../model/plan-problem.js';

/** Why a site stayed out of the plan, for dispatchers (Russian) and logs (English). */
export const UNASSIGNED_REASON_TEXT: Readonly<Record<UnassignedReason, { ru: string; en: string }>> = {
  skills: {
    ru: 'Нет машины с нужным оборудованием (навыками) или допущенной к площадке',
    en: 'No allowed vehicle has the required skills',
  },
  capacity: {
    ru: 'Объём или масса отходов площадки больше вместимости любой подходящей машины',
    en: 'The site alone exceeds the capacity of every allowed vehicle',
  },
  'time-window': {
    ru: 'Ни одна машина не успевает к площадке в её временное окно и в свою смену',
    en: 'No vehicle can reach the site within its windows and its shift',
  },
  fuel: {
    ru: 'Площадка недостижима с имеющимся запасом топлива, даже с заправкой',
    en: 'Unreachable within the fuel range, refuelling included',
  },
  facility: {
    ru: 'Нет объекта размещения (полигона), принимающего этот вид отходов',
    en: 'No disposal facility accepts this waste type',
  },
  'route-limit': {
    ru: 'Площадка дальше, чем позволяет ограничение пробега или времени в пути за смену',
    en: "Beyond every vehicle's longest distance or driving time per shift",
  },
  fleet: {
    ru: 'Площадка выполнима отдельно, но у парка не осталось свободных машин или времени',
    en: 'The site fits alone, but the fleet has no room left for it',
  },
};
