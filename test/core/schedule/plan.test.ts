import { describe, expect, it } from 'vitest';
import {
  claimSession,
  claimSettled,
  createSchedule,
  dueActions,
  moveSession,
  nextWakeAt,
  pauseSchedule,
  recordMissed,
  recordNotice,
  recordPost,
  recordThread,
  recordWeeklyPoll,
  recordWrapUp,
  releaseClaim,
  rescheduleWith,
  resetSchedule,
  resumeSchedule,
  type Schedule,
  ScheduleError,
  setNextSession,
  setWeeklyPolls,
  skipSession,
  upcoming,
  weeklyPhases,
  weeklyPollWindow,
} from '../../../src/core/schedule/plan.js';

const TOTAL = 4;
// Monday 30 November 2026, noon in Berlin.
const NOW = new Date('2026-11-30T11:00:00Z');
const TUESDAY = 2;
const at = (iso: string) => new Date(iso);

/** Tuesdays at 19:00 in Berlin (18:00 UTC in winter), reminders a day ahead, 6 h grace. */
function tuesdays(overrides: Partial<Parameters<typeof createSchedule>[0]> = {}): Schedule {
  return createSchedule(
    { channelId: '1', weekday: TUESDAY, time: '19:00', zone: 'Europe/Berlin', polls: 'off', ...overrides },
    TOTAL,
    NOW,
  );
}

describe('setting up', () => {
  it('plans every session weekly from the next such weekday, then the wrap-up', () => {
    const schedule = tuesdays();
    expect(schedule.dates).toEqual({ 1: '2026-12-01', 2: '2026-12-08', 3: '2026-12-15', 4: '2026-12-22' });
    expect(schedule.wrapUp).toEqual({ date: '2026-12-29' });
    expect(schedule.settings).toMatchObject({ reminderMinutes: 1440, graceMinutes: 360 });
    expect(upcoming(schedule, TOTAL)[0]?.at.toISOString()).toBe('2026-12-01T18:00:00.000Z');
  });

  it('starts on the date given', () => {
    expect(tuesdays({ startDate: '2027-01-05' }).dates[1]).toBe('2027-01-05');
  });

  it.each([
    ['a time that is not 24-hour', { time: '7pm' }, '“7pm” is not a time. Use the 24-hour clock'],
    ['an impossible time', { time: '25:10' }, 'is not a time'],
    ['an unknown zone', { zone: 'Mars/Olympus' }, '“Mars/Olympus” is not a time zone I can keep to'],
    ['an abbreviation', { zone: 'IST' }, 'It may mean Asia/Jerusalem, Asia/Colombo, Asia/Kolkata'],
    ['a fixed offset', { zone: 'EST' }, 'is not a time zone I can keep to'],
    ['a date past the planning range', { startDate: '9999-12-31' }, 'is too far ahead'],
    ['markdown in a time', { time: '`7` [pm](x)' }, '“\\`7\\` \\[pm](x)” is not a time'],
    [
      'a start date on another weekday',
      { startDate: '2026-12-02' },
      'Wednesday 2 December 2026 is not a Tuesday',
    ],
    ['a start date in the past', { startDate: '2026-11-24' }, 'has already passed'],
    ['a start date that is not a date', { startDate: '2027-02-30' }, 'is not a date. Write it as YYYY-MM-DD'],
    ['a grace window under an hour', { graceMinutes: 0 }, 'The grace window is 1 to 48 hours'],
  ])('refuses %s, saying what is accepted', (_name, overrides, message) => {
    expect(() => tuesdays(overrides)).toThrow(ScheduleError);
    expect(() => tuesdays(overrides)).toThrow(message);
  });
});

describe('setting up again', () => {
  it('keeps the group’s place and history, and plans the rest from the new start', () => {
    let existing = recordPost(tuesdays(), 1, 'm1', at('2026-12-01T18:00:00Z'));
    existing = { ...existing, reminded: [1, 2] };
    const fresh = createSchedule(
      { channelId: '2', weekday: 4, time: '08:30', zone: 'America/New_York' },
      TOTAL,
      at('2026-12-02T12:00:00Z'),
    );
    const again = rescheduleWith(existing, fresh, TOTAL, at('2026-12-02T12:00:00Z'));
    expect(again.next).toBe(2);
    expect(again.sessions[1]?.status).toBe('posted');
    expect(again.settings.channelId).toBe('2');
    expect(again.dates).toEqual({ 2: '2026-12-03', 3: '2026-12-10', 4: '2026-12-17' });
    expect(again.wrapUp).toEqual({ date: '2026-12-24' });
    expect(again.reminded).toEqual([1]);
  });

  it('refuses once every session is done, pointing to reset', () => {
    const finished = recordWrapUp({ ...tuesdays(), next: TOTAL + 1, dates: {} }, NOW);
    expect(() => rescheduleWith(finished, tuesdays(), TOTAL, NOW)).toThrow('/schedule reset');
  });
});

describe('what is due', () => {
  const schedule = tuesdays();

  it('nothing before the reminder', () => {
    expect(dueActions(schedule, TOTAL, at('2026-11-30T17:00:00Z'))).toEqual([]);
    expect(nextWakeAt(schedule, TOTAL, NOW)?.toISOString()).toBe('2026-11-30T18:00:00.000Z');
  });

  it('the reminder from a day before, once', () => {
    expect(dueActions(schedule, TOTAL, at('2026-11-30T18:00:00Z'))).toEqual([{ kind: 'remind', session: 1 }]);
    const reminded = { ...schedule, reminded: [1] };
    expect(dueActions(reminded, TOTAL, at('2026-11-30T18:05:00Z'))).toEqual([]);
    expect(nextWakeAt(reminded, TOTAL, NOW)?.toISOString()).toBe('2026-12-01T18:00:00.000Z');
  });

  it('the session at its time, and within the grace window after', () => {
    expect(dueActions(schedule, TOTAL, at('2026-12-01T18:00:00Z'))).toEqual([{ kind: 'post', session: 1 }]);
    expect(dueActions(schedule, TOTAL, at('2026-12-02T00:00:00Z'))).toEqual([{ kind: 'post', session: 1 }]);
  });

  it('a claimed session is recovered, never claimed again, even beyond the grace window', () => {
    const claimed = claimSession(schedule, 1, at('2026-12-01T18:00:00Z'), {});
    // Due when the claim is old enough to judge, not before: the wake-up and what is due agree.
    expect(dueActions(claimed, TOTAL, at('2026-12-01T18:01:00Z'))).toEqual([]);
    expect(dueActions(claimed, TOTAL, at('2026-12-01T18:02:00Z'))).toEqual([{ kind: 'recover', session: 1 }]);
    expect(dueActions(claimed, TOTAL, at('2026-12-03T18:00:00Z'))).toEqual([{ kind: 'recover', session: 1 }]);
    expect(nextWakeAt(claimed, TOTAL, NOW)?.toISOString()).toBe('2026-12-01T18:02:00.000Z');
    expect(claimSettled(claimed, 1, at('2026-12-01T18:01:59Z'))).toBe(false);
    expect(claimSettled(claimed, 1, at('2026-12-01T18:02:00Z'))).toBe(true);
  });

  it('a refused post releases its claim, so the session is posted later', () => {
    const claimed = claimSession(schedule, 1, at('2026-12-01T18:00:00Z'), { cruxId: 'x' });
    const released = releaseClaim(claimed, 1);
    expect(released.sessions[1]).toBeUndefined();
    expect(dueActions(released, TOTAL, at('2026-12-01T18:05:00Z'))).toEqual([{ kind: 'post', session: 1 }]);
  });

  it('a missed session is owed a notice until it is posted', () => {
    const missed = recordMissed(schedule, [1], at('2026-12-02T06:00:00Z'));
    expect(missed.next).toBe(2);
    const notice = {
      kind: 'missed',
      id: `missed-1-${Date.parse('2026-12-02T06:00:00Z')}`,
      sessions: [{ number: 1, at: Date.parse('2026-12-01T18:00:00Z') }],
    };
    expect(dueActions(missed, TOTAL, at('2026-12-02T06:00:00Z'))).toEqual([{ kind: 'notice', notice }]);
    expect(nextWakeAt(missed, TOTAL, at('2026-12-02T06:00:00Z'))?.toISOString()).toBe(
      '2026-12-02T06:00:00.000Z',
    );
    // Paused: nothing goes out, notices included, until resumed.
    expect(dueActions(pauseSchedule(missed, 'no-permission', NOW), TOTAL, NOW)).toEqual([]);
    const told = recordNotice(missed, notice.id);
    expect(told.notices).toEqual([]);
    expect(nextWakeAt(told, TOTAL, NOW)?.toISOString()).toBe('2026-12-07T18:00:00.000Z');
  });

  it('a claim is looked into at once even when its session has moved to a later date', () => {
    const claimed = claimSession(schedule, 1, at('2026-12-01T18:00:00Z'), {});
    const moved = { ...claimed, dates: { ...claimed.dates, 1: '2026-12-08' } };
    expect(dueActions(moved, TOTAL, at('2026-12-01T18:03:00Z'))).toEqual([{ kind: 'recover', session: 1 }]);
  });

  it('opens the weekly polls: "before" with the kickoff, "after" the set hours later, both closing an hour before the next kickoff', () => {
    const withPolls = tuesdays({ polls: 'before-and-after', afterPollHours: 24 });
    const posted = recordPost(
      claimSession(withPolls, 1, at('2026-12-01T18:00:00Z'), {}),
      1,
      'm1',
      at('2026-12-01T18:00:00Z'),
    );
    const threaded = recordThread(posted, 1, 'm1');
    expect(dueActions(threaded, TOTAL, at('2026-12-01T18:00:10Z'))).toEqual([
      { kind: 'open-poll', session: 1, phase: 'before' },
    ]);
    const before = recordWeeklyPoll(threaded, 1, 'before', 'p1');
    expect(dueActions(before, TOTAL, at('2026-12-02T17:59:00Z'))).toEqual([]);
    expect(nextWakeAt(before, TOTAL, NOW)?.toISOString()).toBe('2026-12-02T18:00:00.000Z');
    expect(dueActions(before, TOTAL, at('2026-12-02T18:00:00Z'))).toEqual([
      { kind: 'open-poll', session: 1, phase: 'after' },
    ]);
    expect(weeklyPollWindow(before, 1, 'after', TOTAL)).toEqual({
      opensAt: Date.parse('2026-12-02T18:00:00Z'),
      closesAt: Date.parse('2026-12-08T17:00:00Z'),
    });
    const both = recordWeeklyPoll(before, 1, 'after', 'p2');
    expect(dueActions(both, TOTAL, at('2026-12-03T12:00:00Z'))).toEqual([]);
    expect(weeklyPhases(tuesdays({ polls: 'off' }).settings)).toEqual([]);
    expect(
      weeklyPhases(
        createSchedule({ channelId: '1', weekday: 2, time: '19:00', zone: 'UTC' }, TOTAL, NOW).settings,
      ),
    ).toEqual(['before']);
  });

  it('recording a post never moves the group backwards', () => {
    const ahead = { ...claimSession(schedule, 1, NOW, {}), next: 3 };
    expect(recordPost(ahead, 1, 'm1', NOW).next).toBe(3);
  });

  it('sessions missed beyond the grace window are reported together, and a later one within it still posts', () => {
    // Down from before session 1 until 2 hours after session 3.
    expect(dueActions(schedule, TOTAL, at('2026-12-15T20:00:00Z'))).toEqual([
      { kind: 'missed', sessions: [1, 2] },
      { kind: 'post', session: 3 },
    ]);
  });

  it('after the last session, the wrap-up at its date', () => {
    let done = schedule;
    for (let s = 1; s <= TOTAL; s++) done = recordPost(done, s, `m${s}`, at('2026-12-01T18:00:00Z'));
    expect(dueActions(done, TOTAL, at('2026-12-28T12:00:00Z'))).toEqual([{ kind: 'thread', session: 4 }]);
    expect(dueActions(done, TOTAL, at('2026-12-29T18:00:00Z'))).toContainEqual({ kind: 'wrap-up' });
    const finished = recordWrapUp(done, at('2026-12-29T18:00:00Z'));
    expect(finished.status).toBe('finished');
    // The wrap-up is owed until it is posted, then nothing more is due.
    const owed = dueActions(finished, TOTAL, at('2026-12-29T18:00:00Z'));
    expect(owed).toEqual([
      { kind: 'notice', notice: { kind: 'wrap-up', id: `wrap-up-${Date.parse('2026-12-29T18:00:00Z')}` } },
    ]);
    const told = recordNotice(finished, `wrap-up-${Date.parse('2026-12-29T18:00:00Z')}`);
    expect(dueActions(told, TOTAL, at('2027-01-05T18:00:00Z'))).toEqual([]);
    expect(nextWakeAt(told, TOTAL, NOW)).toBeUndefined();
  });

  it('nothing while paused', () => {
    expect(
      dueActions(pauseSchedule(schedule, 'facilitator', NOW), TOTAL, at('2026-12-01T18:00:00Z')),
    ).toEqual([]);
  });
});

describe('facilitators’ changes', () => {
  it('skip marks the session skipped and moves on; the next keeps its date', () => {
    const skipped = skipSession(tuesdays(), TOTAL, NOW);
    expect(skipped.next).toBe(2);
    expect(skipped.sessions[1]?.status).toBe('skipped');
    expect(skipped.dates[2]).toBe('2026-12-08');
    expect(skipped.dates[1]).toBeUndefined();
  });

  it('move changes one session’s date, in order', () => {
    const moved = moveSession(tuesdays(), 2, '2026-12-10', TOTAL, NOW);
    expect(moved.dates).toMatchObject({ 1: '2026-12-01', 2: '2026-12-10', 3: '2026-12-15' });
    expect(() => moveSession(tuesdays(), 2, '2026-12-16', TOTAL, NOW)).toThrow(
      'Session 2 must stay in order: pick a date after Tuesday 1 December 2026 and before Tuesday 15 December 2026',
    );
    expect(() => moveSession(tuesdays(), 1, '2026-11-29', TOTAL, NOW)).toThrow('has already passed');
    expect(moveSession(tuesdays(), 4, '2026-12-24', TOTAL, NOW).wrapUp).toEqual({ date: '2026-12-31' });
  });

  it('resume after missed dates plans the rest weekly from the next slot, without posting late', () => {
    const paused = pauseSchedule(tuesdays(), 'facilitator', NOW);
    const resumed = resumeSchedule(paused, TOTAL, at('2026-12-10T12:00:00Z'));
    expect(resumed.status).toBe('active');
    expect(resumed.dates).toEqual({ 1: '2026-12-15', 2: '2026-12-22', 3: '2026-12-29', 4: '2027-01-05' });
    expect(dueActions(resumed, TOTAL, at('2026-12-10T12:00:00Z'))).toEqual([]);
  });

  it('resume before the next date keeps the plan', () => {
    const resumed = resumeSchedule(
      pauseSchedule(tuesdays(), 'facilitator', NOW),
      TOTAL,
      at('2026-11-30T12:00:00Z'),
    );
    expect(resumed.dates).toEqual(tuesdays().dates);
  });

  it('setting the next session re-plans from there, re-opening later sessions', () => {
    let schedule = tuesdays();
    schedule = recordPost(schedule, 1, 'm1', at('2026-12-01T18:00:00Z'));
    schedule = recordPost(schedule, 2, 'm2', at('2026-12-08T18:00:00Z'));
    const back = setNextSession(schedule, 2, TOTAL, at('2026-12-09T12:00:00Z'));
    expect(back.next).toBe(2);
    expect(back.sessions[2]).toBeUndefined();
    expect(back.dates).toEqual({ 2: '2026-12-15', 3: '2026-12-22', 4: '2026-12-29' });
    expect(back.wrapUp).toEqual({ date: '2027-01-05' });
    // Going forward leaves no dates for the sessions passed over.
    const ahead = setNextSession(tuesdays(), 3, TOTAL, NOW);
    expect(ahead.dates).toEqual({ 3: '2026-12-01', 4: '2026-12-08' });
  });

  it('refuses skip, move, next, reset and setup while a post is unsettled, and overrides a claim a crash left on a paused schedule', () => {
    const posting = claimSession(tuesdays(), 1, at('2026-12-01T18:00:00Z'), {});
    const during = at('2026-12-01T18:00:30Z');
    for (const change of [
      () => skipSession(posting, TOTAL, during),
      () => moveSession(posting, 2, '2026-12-09', TOTAL, during),
      () => setNextSession(posting, 3, TOTAL, during),
      () => resetSchedule(posting, TOTAL, during),
      () => rescheduleWith(posting, tuesdays({ channelId: '2' }), TOTAL, during),
    ]) {
      expect(change).toThrow('Session 1 is being posted right now. Try again in a couple of minutes.');
    }
    // On a running schedule the scheduler settles any claim within minutes: until then, changes wait.
    const later = at('2026-12-01T18:10:00Z');
    expect(() => skipSession(posting, TOTAL, later)).toThrow('being posted right now');
    // On a paused one, a claim old enough that nothing can be in flight was left by a crash: it is overridden.
    const paused = pauseSchedule(posting, 'no-permission', later);
    expect(skipSession(paused, TOTAL, later).sessions[1]?.status).toBe('skipped');
    expect(setNextSession(paused, 3, TOTAL, later).sessions[1]).toBeUndefined();
    expect(() => skipSession(paused, TOTAL, during)).toThrow('being posted right now');
  });

  it('a moved session gets its reminder again, at the new date', () => {
    const reminded = { ...tuesdays(), reminded: [1] };
    const moved = moveSession(reminded, 1, '2026-12-03', TOTAL, NOW);
    expect(moved.reminded).toEqual([]);
    expect(dueActions(moved, TOTAL, at('2026-12-02T18:00:00Z'))).toEqual([{ kind: 'remind', session: 1 }]);
  });

  it('resume after missed dates re-sends the reminders of re-planned sessions', () => {
    const paused = pauseSchedule({ ...tuesdays(), reminded: [1] }, 'facilitator', NOW);
    expect(resumeSchedule(paused, TOTAL, at('2026-12-10T12:00:00Z')).reminded).toEqual([]);
  });

  it('pausing twice says it is already paused', () => {
    const paused = pauseSchedule(tuesdays(), 'facilitator', NOW);
    expect(() => pauseSchedule(paused, 'facilitator', NOW)).toThrow('already paused');
  });

  it('setting up again keeps a facilitator’s pause, and ends a pause for a problem', () => {
    const byFacilitator = pauseSchedule(tuesdays(), 'facilitator', NOW);
    expect(rescheduleWith(byFacilitator, tuesdays({ channelId: '2' }), TOTAL, NOW).status).toBe('paused');
    const byProblem = pauseSchedule(tuesdays(), 'channel-missing', NOW);
    const fixed = rescheduleWith(byProblem, tuesdays({ channelId: '2' }), TOTAL, NOW);
    expect(fixed.status).toBe('active');
    expect(fixed.pause).toBeUndefined();
  });

  it('weekly polls can be changed, with the "after" poll within the week', () => {
    expect(setWeeklyPolls(tuesdays(), 'before-and-after', 72).settings).toMatchObject({
      polls: 'before-and-after',
      afterPollHours: 72,
    });
    expect(() => setWeeklyPolls(tuesdays(), 'before-and-after', 200)).toThrow('0 to 144 hours');
  });

  it('reset goes back to session 1 and clears the history', () => {
    const missed = recordMissed(tuesdays(), [1, 2], NOW);
    const reset = resetSchedule(missed, TOTAL, at('2026-12-09T12:00:00Z'));
    expect(reset).toMatchObject({ next: 1, sessions: {}, reminded: [], status: 'active' });
    expect(reset.dates[1]).toBe('2026-12-15');
  });
});

describe('time zones', () => {
  it.each([
    ['europe/berlin', 'Europe/Berlin'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['US/Pacific', 'America/Los_Angeles'],
    [' utc ', 'UTC'],
  ])('stores %j as the canonical %s', (typed, canonical) => {
    expect(tuesdays({ zone: typed }).settings.zone).toBe(canonical);
  });
});
