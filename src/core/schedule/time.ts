import { getTimeZones } from '@vvo/tzdb';
import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar arithmetic for weekly sessions. A session is stored as a local date plus a wall-clock time in an
 * IANA zone, never as an instant, so "Tuesdays at 19:00 in Berlin" stays 19:00 in Berlin on both sides of
 * a daylight-saving change. Instants are computed only when needed.
 */

/** A local calendar date, "2026-12-01". */
export type LocalDate = string;
/** A 24-hour wall-clock time, "19:30". */
export type LocalTime = string;

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

const TZDB = getTimeZones({ includeUtc: true });

/**
 * A zone as typed, as the canonical IANA name stored ("europe/berlin" → "Europe/Berlin", "Asia/Calcutta" →
 * "Asia/Kolkata", "utc" → "UTC"); or, for what is not one, the zones it may have meant. Abbreviations such
 * as EST, IST or CET are refused even though Intl accepts some of them: they are fixed offsets or guesses
 * (IST is India, Israel or Ireland) that do not follow a city's daylight-saving rules.
 */
export function canonicalZone(
  typed: string,
): { readonly zone: string } | { readonly meant: readonly string[] } {
  const name = typed.trim();
  if (/^(?:etc\/)?utc$/iu.test(name)) return { zone: 'UTC' };
  const lower = name.toLowerCase();
  const found = name.includes('/')
    ? TZDB.find(
        (zone) => zone.name !== 'Etc/UTC' && zone.group.some((alias) => alias.toLowerCase() === lower),
      )
    : undefined;
  if (found && IANAZone.isValidZone(found.name)) return { zone: found.name };
  const upper = name.toUpperCase();
  return {
    meant: TZDB.filter((zone) => zone.abbreviation === upper || zone.currentAbbreviation === upper)
      .map((zone) => zone.name)
      .slice(0, 5),
  };
}

/** True for a zone name Luxon (and so Intl) knows: "Europe/Berlin", "Asia/Kolkata", "UTC". */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** "19:30" → its parts, or undefined when it is not a 24-hour time. */
export function parseTime(time: string): { hour: number; minute: number } | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/u.exec(time.trim());
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

/** "19:30" written back with two-digit hours. */
export function normalizeTime(time: string): LocalTime | undefined {
  const parts = parseTime(time);
  return parts
    ? `${String(parts.hour).padStart(2, '0')}:${String(parts.minute).padStart(2, '0')}`
    : undefined;
}

/** True for a real calendar date in ISO form ("2028-02-29" yes, "2027-02-29" no). */
export function isValidDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/u.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}

/** How far ahead a session may be set: a reading group plans months, not decades. */
export const MAX_YEARS_AHEAD = 3;

/** True when `date` is no more than MAX_YEARS_AHEAD years after `now`. */
export function isWithinPlanningRange(date: LocalDate, now: Date): boolean {
  const limit = DateTime.fromJSDate(now, { zone: 'UTC' }).plus({ years: MAX_YEARS_AHEAD });
  return DateTime.fromISO(date, { zone: 'UTC' }) <= limit;
}

/** Orders two local dates as dates (a negative number when `a` is earlier). */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return DateTime.fromISO(a, { zone: 'UTC' }).toMillis() - DateTime.fromISO(b, { zone: 'UTC' }).toMillis();
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

/** The date `weeks` weeks after `date`, by the calendar (not by adding 168 hours). */
export function addWeeks(date: LocalDate, weeks: number): LocalDate {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ weeks }).toISODate() ?? date;
}

/**
 * The instant of `time` on `date` in `zone`. On the day clocks spring forward, a time that does not exist
 * (02:30 in Berlin) becomes the same wall time after the jump (03:30); on the day they fall back, a time
 * that happens twice means its first occurrence.
 */
export function instantOf(date: LocalDate, time: LocalTime, zone: string): Date {
  const parts = parseTime(time) ?? { hour: 0, minute: 0 };
  const local = DateTime.fromISO(date, { zone }).set({
    hour: parts.hour,
    minute: parts.minute,
    second: 0,
    millisecond: 0,
  });
  return local.toJSDate();
}

/** The local date in `zone` at instant `at`. */
export function localDateAt(at: Date, zone: string): LocalDate {
  return DateTime.fromJSDate(at, { zone }).toISODate() ?? '';
}

/** The first date on `weekday` whose session (at `time` in `zone`) starts after `after`. */
export function nextWeekdayAfter(after: Date, weekday: number, time: LocalTime, zone: string): LocalDate {
  let date = localDateAt(after, zone);
  for (let i = 0; i < 8; i++) {
    if (weekdayOf(date) === weekday && instantOf(date, time, zone).getTime() > after.getTime()) return date;
    date = DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate() ?? date;
  }
  return date;
}

/** "Tuesday 1 December 2026": a date as words, for messages about dates rather than instants. */
export function describeDate(date: LocalDate): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}

/** A zone for autocomplete: what the member sees and the name stored. */
export interface ZoneChoice {
  readonly name: string;
  readonly value: string;
}

const ZONES = [
  ...getTimeZones().map((zone) => ({
    value: zone.name,
    name: `${zone.name.replaceAll('_', ' ')} — ${zone.mainCities.slice(0, 2).join(', ')} (${zone.alternativeName})`,
    search: [zone.name, zone.alternativeName, zone.countryName, ...zone.mainCities, ...zone.group]
      .join(' ')
      .toLowerCase(),
  })),
  { value: 'UTC', name: 'UTC — Coordinated Universal Time', search: 'utc gmt coordinated universal time' },
];

/** Zones whose name, country or main cities contain every typed word, for the zone option's autocomplete. */
export function suggestZones(typed: string): ZoneChoice[] {
  const words = typed
    .toLowerCase()
    .split(/[\s/_,]+/u)
    .filter(Boolean);
  return ZONES.filter((zone) => words.every((word) => zone.search.includes(word))).map(({ name, value }) => ({
    name,
    value,
  }));
}
