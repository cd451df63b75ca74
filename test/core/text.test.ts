import { describe, expect, it } from 'vitest';
import { countWords, formatReadingTime, isSentenceSpan, truncateAtSentence } from '../../src/core/text.js';

describe('truncateAtSentence', () => {
  it.each([
    ['fits already', 'One. Two.', 20, 'One. Two.'],
    [
      'cuts after the last whole sentence',
      'First sentence here. Second one is longer than the room.',
      30,
      'First sentence here. …',
    ],
    [
      'falls back to a word when a sentence cut would lose too much',
      'Short. Then a very long second sentence without end',
      40,
      'Short. Then a very long second sentence…',
    ],
    ['cuts a single long word hard', 'abcdefghijklmnopqrstuvwxyz', 10, 'abcdefghi…'],
  ])('%s', (_name, text, max, expected) => {
    const cut = truncateAtSentence(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });

  it('never exceeds the limit', () => {
    const text = 'Alpha beta. Gamma delta epsilon? Zeta! '.repeat(50);
    for (let max = 2; max < 200; max += 7)
      expect(truncateAtSentence(text, max).length).toBeLessThanOrEqual(max);
  });
});

describe('isSentenceSpan', () => {
  const body = 'First line. It has two sentences.\nSecond line ends “quoted.”';
  it.each([
    ['a whole line', 0, 33, true],
    ['the second sentence of a line', 12, 33, true],
    ['a span starting mid-sentence', 3, 33, false],
    ['a span ending mid-sentence', 12, 20, false],
    ['a sentence closed by a quote mark', 34, body.length, true],
  ])('%s', (_name, start, end, expected) => {
    expect(isSentenceSpan(body, start, end)).toBe(expected);
  });
});

describe('reading time', () => {
  it('counts words like wc -w', () => {
    expect(countWords('  one two\nthree—four  ')).toBe(3);
  });
  it.each([
    [10, 'about 5 s'],
    [115, 'about 30 s'],
    [230, 'about 1 min'],
    [2300, 'about 10 min'],
  ])('%i words read in %s', (words, expected) => {
    expect(formatReadingTime(words)).toBe(expected);
  });
});
