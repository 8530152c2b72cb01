/** Valid request bodies; tests override what they examine. */

let sequence = 0;
const next = (): number => ++sequence;

export function siteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = next();
  return {
    registryNumber: `77-${String(n).padStart(5, '0')}`,
    address: `Москва, ул. Академика Королёва, д. ${n}`,
    lon: 37.6117,
    lat: 55.8197,
    surface: 'asphalt',
    fenced: true,
    owner: { kind: 'legal', name: 'ООО «УК Останкино»', inn: '7717123456', ogrn: '1027739000001' },
    containers: [
      { type: 'euro', count: 3, volumeM3: '1.1' },
      { type: 'bunker', count: 1, volumeM3: '8' },
    ],
    wasteSources: [{ kind: 'building', address: `ул. Академика Королёва, д. ${n}` }],
    schedule: { kind: 'weekdays', days: [1, 3, 5] },
    collectionWindow: { from: '06:00', to: '12:00' },
    ...overrides,
  };
}

export function carrierBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = next();
  return { name: `ООО «Экотранс-${n}»`, inn: String(7700000000 + n), ...overrides };
}

export function vehicleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = next();
  return {
    plate: `А${String(100 + (n % 900))}ВС${77 + (n % 20)}`,
    bodyType: 'rear_loader',
    bodyVolumeM3: '22.5',
    compactionRatio: '4.5',
    fuelTankL: '300',
    consumptionEmptyL100km: '38.5',
    consumptionLoadedL100km: '45.25',
    ...overrides,
  };
}

export function facilityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = next();
  return {
    name: `Полигон №${n}`,
    kind: 'landfill',
    address: 'Московская обл., Сергиево-Посадский г.о.',
    lon: 38.1,
    lat: 56.3,
    openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }],
    acceptedWaste: ['7 31 110 01 72 4'],
    gateFeePerTonne: '512.40',
    hasWeighbridge: true,
    ...overrides,
  };
}
