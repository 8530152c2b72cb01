import type { UnassignedReason } from '../model/plan-problem.js';

/** Why a site stayed out of the plan, for dispatchers (Russian) and logs (English). */
export const UNASSIGNED_REASON_TEXT: Readonly<Record<UnassignedReason, { ru: string; en: string }>> = {
  skills: {
    ru: 'Нет машины с нужным оборудованием (навыками) или допущенной к площадке',
    en: 'No allowed vehicle has the required skills',
  },
  unreachable: {
    ru: 'К площадке нет проезда для грузовика от места выезда или обратно (односторонние улицы, запреты)',
    en: 'No truck road to the site from the start, or back to the end',
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
    ru: 'Нет объекта размещения (полигона), который принимает этот вид отходов и до которого есть проезд',
    en: 'No disposal facility that accepts this waste type can be reached by road',
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
