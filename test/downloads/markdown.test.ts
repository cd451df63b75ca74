import { describe, expect, it } from 'vitest';
import { inert } from '../../src/downloads/markdown.js';

describe('inert Markdown', () => {
  it.each([
    [
      'plain prose stays byte for byte',
      'If episode < K, people answer [...] “helpfully”.',
      'If episode < K, people answer [...] “helpfully”.',
    ],
    ['emphasis and code are escaped', 'a *b* _c_ `d` \\e', 'a \\*b\\* \\_c\\_ \\`d\\` \\\\e'],
    ['an HTML tag is escaped', 'see <b>this</b>', 'see \\<b>this\\</b>'],
    ['a heading marker at the start', '# Not a heading', '\\# Not a heading'],
    ['a quote marker at the start', '> not a quote', '\\> not a quote'],
    ['a list marker, which shows the same words', '1) bias the model', '1) bias the model'],
    ['a hyphen inside a line', 'well-known - fine', 'well-known - fine'],
  ])('%s', (_name, text, expected) => {
    expect(inert(text)).toBe(expected);
  });
});
