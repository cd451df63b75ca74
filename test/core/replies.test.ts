import { describe, expect, it } from 'vitest';
import { checkInsReply } from '../../src/core/replies/progress.js';

describe('who checked in', () => {
  it('names up to 80 members and says how many more, so a big group never breaks the message', () => {
    const members = Array.from({ length: 100 }, (_, i) => String(400000000000000000n + BigInt(i)));
    const reply = checkInsReply(3, members);
    expect(reply.content).toMatch(/^Checked in for session 3 \(100\): <@400000000000000000>, /u);
    expect(reply.content?.match(/<@\d+>/gu)).toHaveLength(80);
    expect(reply.content).toMatch(/, and 20 more$/u);
    expect(checkInsReply(3, []).content).toBe('Nobody has checked in for session 3 yet.');
  });
});
