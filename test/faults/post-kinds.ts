import type { ChannelHandle } from '../../src/emulator/index.js';
import type { Group } from '../e2e/groups.js';

/** The route every post the bot makes by itself goes through. */
export const POST = 'POST /channels/:channelId/messages';
export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A kind of post the bot makes by itself: how to bring a new server to the moment it is due, and how to
 * recognise it in a request body or the channel.
 */
export interface PostKind {
  /** Text only this post's body contains, so a fault hits it and nothing else. */
  readonly marker: string;
  /** Prepares a new group, ticking the bot with `tick` where needed; resolves with when the post is due. */
  prepare(group: Group, tick: (at: number) => Promise<unknown>): Promise<number>;
}

const weeklyPolls = async (group: Group) => {
  await group.ada.run('schedule polls', { mode: 'before' });
};

/** Every kind of post the scheduler makes: a kickoff, a reminder, a poll, its results, a notice. */
export const POST_KINDS: Readonly<Record<string, PostKind>> = {
  kickoff: { marker: 'progress:checkin', prepare: async (group) => group.session(1) },
  reminder: {
    marker: 'Reminder: session 1',
    prepare: async (group) => {
      await group.ada.run('schedule setup', {
        channel: group.reading,
        weekday: new Date(group.session(1)).getUTCDay() || 7,
        time: '19:00',
        zone: 'UTC',
        reminder: 60,
      });
      return group.session(1) - HOUR;
    },
  },
  'poll message': {
    marker: 'Position poll, before the discussion',
    prepare: async (group) => {
      await weeklyPolls(group);
      return group.session(1);
    },
  },
  results: {
    marker: 'Poll closed, before the discussion',
    prepare: async (group, tick) => {
      await weeklyPolls(group);
      await tick(group.session(1));
      await tick(group.session(1) + MINUTE);
      return group.session(2) - HOUR;
    },
  },
  'missed-sessions notice': {
    marker: 'I could not post',
    prepare: async (group) => group.session(2) + 7 * HOUR,
  },
};

/** The exact request that posts to `channel`, for a fault on that channel alone. */
export const postsTo = (channel: ChannelHandle) => `POST /channels/${channel.id}/messages`;

/** How many messages in the channel are this kind of post. */
export const postsOf = (channel: ChannelHandle, marker: string) =>
  channel.messages().filter((m) => JSON.stringify(m.data).includes(marker)).length;
