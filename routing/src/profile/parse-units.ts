// Parsers for OSM length, weight and speed values as mapped in practice, including Russian regional
// speed codes. Every parser returns undefined for values it cannot read (treated as "no limit").

const RU_SPEEDS: Record<string, number> = {
  'RU:urban': 60,
  'RU:rural': 90,
  'RU:motorway': 110,
  'RU:living_street': 20,
};

/** km/h from `maxspeed`: `60`, `60 km/h`, `35 mph`, `RU:urban`, `walk`. */
export function parseSpeedKmh(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const coded = RU_SPEEDS[trimmed];
  if (coded !== undefined) return coded;
  if (trimmed === 'walk') return 6;
  const match = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/i.exec(trimmed);
  if (!match) return undefined;
  const number = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const kmh = unit === 'mph' ? number * 1.609344 : unit === 'knots' ? number * 1.852 : number;
  return kmh > 0 ? kmh : undefined;
}

/** Metres from `maxheight`/`maxwidth`/`maxlength`: `3.5`, `3,5 m`, `11'6"`, `350 cm`. */
export function parseLengthM(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim().replace(',', '.');
  const feet = /^(\d+(?:\.\d+)?)\s*'\s*(?:(\d+(?:\.\d+)?)\s*")?$/.exec(trimmed);
  if (feet) return round2(Number(feet[1]) * 0.3048 + Number(feet[2] ?? 0) * 0.0254);
  const match = /^(\d+(?:\.\d+)?)\s*(m|cm|ft)?$/i.exec(trimmed);
  if (!match) return undefined;
  const number = Number(match[1]);
  const unit = (match[2] ?? 'm').toLowerCase();
  const metres = unit === 'cm' ? number / 100 : unit === 'ft' ? number * 0.3048 : number;
  return metres > 0 ? round2(metres) : undefined;
}

/** Tonnes from `maxweight`/`maxaxleload`: `10`, `10 t`, `10000 kg`, `7.5 st` (short tons). */
export function parseWeightT(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim().replace(',', '.');
  const match = /^(\d+(?:\.\d+)?)\s*(t|kg|st|lbs)?$/i.exec(trimmed);
  if (!match) return undefined;
  const number = Number(match[1]);
  const unit = (match[2] ?? 't').toLowerCase();
  const tonnes =
    unit === 'kg'
      ? number / 1000
      : unit === 'st'
        ? number * 0.90718474
        : unit === 'lbs'
          ? number * 0.00045359237
          : number;
  return tonnes > 0 ? round2(tonnes) : undefined;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
