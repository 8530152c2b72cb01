import type { ColumnSpec, EntityTable, SqlType } from './entity-store.js';

const c = (field: string, column: string, type: SqlType = 'text'): ColumnSpec => ({ field, column, type });

export const SITES: EntityTable = {
  table: 'sites',
  entity: 'site',
  scope: 'public',
  orderBy: 'address',
  located: true,
  columns: [
    c('registryNumber', 'registry_number'),
    c('address', 'address'),
    c('lon', 'lon', 'float8'),
    c('lat', 'lat', 'float8'),
    c('geofence', 'geofence', 'jsonb'),
    c('surface', 'surface'),
    c('fenced', 'fenced', 'boolean'),
    c('owner', 'owner', 'jsonb'),
    c('containers', 'containers', 'jsonb'),
    c('wasteSources', 'waste_sources', 'jsonb'),
    c('schedule', 'schedule', 'jsonb'),
    c('collectionWindow', 'collection_window', 'jsonb'),
    c('status', 'status'),
    c('municipalityId', 'municipality_id', 'uuid'),
  ],
};

export const FACILITIES: EntityTable = {
  table: 'facilities',
  entity: 'facility',
  scope: 'public',
  orderBy: 'name',
  located: true,
  columns: [
    c('name', 'name'),
    c('kind', 'kind'),
    c('address', 'address'),
    c('lon', 'lon', 'float8'),
    c('lat', 'lat', 'float8'),
    c('openingHours', 'opening_hours', 'jsonb'),
    c('acceptedWaste', 'accepted_waste', 'jsonb'),
    c('gateFeePerTonne', 'gate_fee_per_tonne', 'numeric'),
    c('hasWeighbridge', 'has_weighbridge', 'boolean'),
    c('status', 'status'),
    c('geofenceRadiusM', 'geofence_radius_m', 'int'),
    c('geofence', 'geofence', 'jsonb'),
  ],
};

export const MUNICIPALITIES: EntityTable = {
  table: 'municipalities',
  entity: 'municipality',
  scope: 'public',
  orderBy: 'name',
  columns: [c('name', 'name'), c('oktmo', 'oktmo')],
};

export const FLOWS: EntityTable = {
  table: 'flows',
  entity: 'flow',
  scope: 'public',
  orderBy: 'valid_from',
  columns: [
    c('municipalityId', 'municipality_id', 'uuid'),
    c('facilityId', 'facility_id', 'uuid'),
    c('sharePercent', 'share_percent', 'numeric'),
    c('validFrom', 'valid_from', 'date'),
    c('validTo', 'valid_to', 'date'),
  ],
};

export const CARRIERS: EntityTable = {
  table: 'carriers',
  entity: 'carrier',
  scope: 'carrier-self',
  orderBy: 'name',
  columns: [
    c('name', 'name'),
    c('inn', 'inn'),
    c('ogrn', 'ogrn'),
    c('address', 'address'),
    c('phone', 'phone'),
  ],
};

export const CONTRACTS: EntityTable = {
  table: 'contracts',
  entity: 'contract',
  scope: 'carrier',
  orderBy: 'valid_from DESC',
  columns: [
    c('carrierId', 'carrier_id', 'uuid'),
    c('number', 'number'),
    c('municipalityId', 'municipality_id', 'uuid'),
    c('lotName', 'lot_name'),
    c('tariffUnit', 'tariff_unit'),
    c('tariffRub', 'tariff_rub', 'numeric'),
    c('validFrom', 'valid_from', 'date'),
    c('validTo', 'valid_to', 'date'),
    c('confidenceThreshold', 'confidence_threshold', 'numeric'),
    c('deductionRule', 'deduction_rule'),
    c('missedVisitDeduction', 'missed_visit_deduction', 'numeric'),
    c('lateVisitDeduction', 'late_visit_deduction', 'numeric'),
    c('lateToleranceMin', 'late_tolerance_min', 'int'),
  ],
};

export const VEHICLES: EntityTable = {
  table: 'vehicles',
  entity: 'vehicle',
  scope: 'carrier',
  orderBy: 'plate',
  columns: [
    c('carrierId', 'carrier_id', 'uuid'),
    c('plate', 'plate'),
    c('bodyType', 'body_type'),
    c('bodyVolumeM3', 'body_volume_m3', 'numeric'),
    c('compactionRatio', 'compaction_ratio', 'numeric'),
    c('fuelTankL', 'fuel_tank_l', 'numeric'),
    c('consumptionEmptyL100km', 'consumption_empty_l_100km', 'numeric'),
    c('consumptionLoadedL100km', 'consumption_loaded_l_100km', 'numeric'),
    c('consumptionIdleLPerHour', 'consumption_idle_l_per_hour', 'numeric'),
    c('trackerDeviceId', 'tracker_device_id'),
    c('status', 'status'),
  ],
};

export const DRIVERS: EntityTable = {
  table: 'drivers',
  entity: 'driver',
  scope: 'carrier',
  orderBy: 'full_name',
  columns: [
    c('carrierId', 'carrier_id', 'uuid'),
    c('fullName', 'full_name'),
    c('licenseNumber', 'license_number'),
    c('phone', 'phone'),
    c('userId', 'user_id', 'uuid'),
  ],
};

export const ACCOUNTS: EntityTable = {
  table: 'accounts',
  entity: 'account',
  scope: 'owner',
  orderBy: 'number',
  columns: [
    c('number', 'number'),
    c('holderName', 'holder_name'),
    c('kind', 'kind'),
    c('address', 'address'),
    c('siteId', 'site_id', 'uuid'),
    c('ownerUserId', 'owner_user_id', 'uuid'),
  ],
};

/** Visits planned by work orders (наряды); settlements compare them with collection facts. */
export const PLANNED_VISITS: EntityTable = {
  table: 'planned_visits',
  entity: 'planned_visit',
  scope: 'carrier',
  orderBy: 'visit_date, window_from',
  columns: [
    c('siteId', 'site_id', 'uuid'),
    c('visitDate', 'visit_date', 'date'),
    c('windowFrom', 'window_from'),
    c('windowTo', 'window_to'),
    c('carrierId', 'carrier_id', 'uuid'),
    c('vehicleId', 'vehicle_id', 'uuid'),
    c('workOrderRef', 'work_order_ref'),
  ],
};

export const CARRIER_PAYMENTS: EntityTable = {
  table: 'carrier_payments',
  entity: 'carrier_payment',
  scope: 'carrier',
  orderBy: 'paid_on',
  columns: [
    c('carrierId', 'carrier_id', 'uuid'),
    c('contractId', 'contract_id', 'uuid'),
    c('paidOn', 'paid_on', 'date'),
    c('amountRub', 'amount_rub', 'numeric'),
    c('documentNumber', 'document_number'),
    c('purpose', 'purpose'),
  ],
};
