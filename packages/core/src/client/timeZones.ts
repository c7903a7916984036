/**
 * Zones that Intl (ICU) still names as they were before a rename: it
 * reads the current name but answers with the old one. Rebound stores
 * and shows the current name.
 */
const CURRENT_ZONE_NAMES: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

const FORMER_ZONE_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(CURRENT_ZONE_NAMES).map(([former, current]) => [
    current,
    former,
  ]),
);

/**
 * The zone's current IANA name: "Asia/Kolkata" for "Asia/Calcutta";
 * any other name as it is.
 *
 * @public
 */
export function currentZoneName(zone: string): string {
  return CURRENT_ZONE_NAMES[zone] ?? zone;
}

/**
 * The name a renamed zone had before, which people may still search for:
 * "Europe/Kiev" for "Europe/Kyiv"; undefined for any other zone.
 *
 * @public
 */
export function formerZoneName(zone: string): string | undefined {
  return FORMER_ZONE_NAMES[zone];
}
