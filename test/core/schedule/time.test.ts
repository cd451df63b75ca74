import { describe, expect, it } from 'vitest';
import {
  addWeeks,
  instantOf,
  isValidDate,
  isValidZone,
  nextWeekdayAfter,
  normalizeTime,
  suggestZones,
} from '../../../src/core/schedule/time.js';

const utc = (date: string, time: string, zone: string) => instantOf(date, time, zone).toISOString();

describe('weekly sessions keep their local time across daylight-saving changes', () => {
  it.each([
    // zone, the local time, [week before, week of the change] → the UTC instants
    [
      'Europe/Berlin, spring forward (28 Mar 2027)',
      'Europe/Berlin',
      '19:00',
      '2027-03-21',
      '2027-03-21T18:00:00.000Z',
      '2027-03-28T17:00:00.000Z',
    ],
    [
      'Europe/Berlin, fall back (31 Oct 2027)',
      'Europe/Berlin',
      '19:00',
      '2027-10-24',
      '2027-10-24T17:00:00.000Z',
      '2027-10-31T18:00:00.000Z',
    ],
    [
      'America/New_York, spring forward (14 Mar 2027)',
      'America/New_York',
      '09:00',
      '2027-03-07',
      '2027-03-07T14:00:00.000Z',
      '2027-03-14T13:00:00.000Z',
    ],
    [
      'America/New_York, fall back (7 Nov 2027)',
      'America/New_York',
      '09:00',
      '2027-10-31',
      '2027-10-31T13:00:00.000Z',
      '2027-11-07T14:00:00.000Z',
    ],
    [
      'Australia/Adelaide (half-hour, DST ends 4 Apr 2027)',
      'Australia/Adelaide',
      '19:00',
      '2027-03-28',
      '2027-03-28T08:30:00.000Z',
      '2027-04-04T09:30:00.000Z',
    ],
    [
      'America/St_Johns (half-hour, DST starts 14 Mar 2027)',
      'America/St_Johns',
      '20:00',
      '2027-03-07',
      '2027-03-07T23:30:00.000Z',
      '2027-03-14T22:30:00.000Z',
    ],
  ])('%s', (_name, zone, time, weekBefore, before, after) => {
    expect(utc(weekBefore, time, zone)).toBe(before);
    expect(utc(addWeeks(weekBefore, 1), time, zone)).toBe(after);
  });

  it('keeps a half-hour zone without DST exact', () => {
    expect(utc('2027-06-01', '19:30', 'Asia/Kolkata')).toBe('2027-06-01T14:00:00.000Z');
  });

  it('moves a time that does not exist (the spring-forward gap) to the same wall time after the jump', () => {
    // 02:30 does not happen in Berlin on 28 March 2027; 03:30 CEST is 01:30 UTC.
    expect(utc('2027-03-28', '02:30', 'Europe/Berlin')).toBe('2027-03-28T01:30:00.000Z');
  });

  it('takes the first of a time that happens twice (the fall-back hour)', () => {
    // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET) in Berlin on 31 October 2027.
    expect(utc('2027-10-31', '02:30', 'Europe/Berlin')).toBe('2027-10-31T00:30:00.000Z');
  });
});

describe('dates', () => {
  it('counts leap days in weekly steps', () => {
    expect([1, 2, 3].map((w) => addWeeks('2028-02-15', w))).toEqual([
      '2028-02-22',
      '2028-02-29',
      '2028-03-07',
    ]);
    expect(addWeeks('2027-02-22', 1)).toBe('2027-03-01');
  });

  it.each([
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-13-01', false],
    ['1 Dec 2027', false],
  ])('knows whether %s is a date', (date, valid) => {
    expect(isValidDate(date)).toBe(valid);
  });

  it('finds the next such weekday whose session has not started yet', () => {
    // Tuesday 1 December 2026, 18:00 in Berlin.
    const tuesdayEvening = new Date('2026-12-01T17:00:00Z');
    expect(nextWeekdayAfter(tuesdayEvening, 2, '19:00', 'Europe/Berlin')).toBe('2026-12-01');
    expect(nextWeekdayAfter(tuesdayEvening, 2, '17:00', 'Europe/Berlin')).toBe('2026-12-08');
    expect(nextWeekdayAfter(tuesdayEvening, 3, '09:00', 'Europe/Berlin')).toBe('2026-12-02');
    // It is already 02:00 on Wednesday in Tokyo: 09:00 today is still ahead, 01:00 today is not.
    expect(nextWeekdayAfter(tuesdayEvening, 3, '09:00', 'Asia/Tokyo')).toBe('2026-12-02');
    expect(nextWeekdayAfter(tuesdayEvening, 3, '01:00', 'Asia/Tokyo')).toBe('2026-12-09');
  });
});

describe('times and zones', () => {
  it.each([
    ['19:30', '19:30'],
    ['7:05', '07:05'],
    ['24:00', undefined],
    ['7pm', undefined],
    ['19:60', undefined],
  ])('reads %s as a 24-hour time', (input, expected) => {
    expect(normalizeTime(input)).toBe(expected);
  });

  it('knows IANA zones, including current names and UTC', () => {
    for (const zone of ['Europe/Berlin', 'Asia/Kolkata', 'Europe/Kyiv', 'UTC'])
      expect(isValidZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus', 'CET+1', '']) expect(isValidZone(zone)).toBe(false);
  });

  it('suggests zones by city, country or name', () => {
    expect(suggestZones('mumbai')[0]?.value).toBe('Asia/Kolkata');
    expect(suggestZones('new york').map((z) => z.value)).toContain('America/New_York');
    expect(suggestZones('utc').map((z) => z.value)).toContain('UTC');
  });
});
