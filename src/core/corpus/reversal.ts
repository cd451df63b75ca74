/**
 * Finds quotes cut just before their writer turns against them. A quote that stops right before "But…" or
 * "I think this is probably a risky move" can make a writer look as if they hold what they go on to reject,
 * so the validator lists every such quote for a person to decide, and the data records that decision.
 */

/** Words that turn a passage against what came just before it. */
const REVERSAL =
  /\b(?:but|however|on the other hand|that said|though|although|nevertheless|nonetheless|then again|i think this is probably)\b/iu;

/** How many sentences after a quote are read for a reversal. */
const SENTENCES_READ = 2;

/**
 * The sentence that may take back a quote ending at `end`, if one of the next two sentences of the same
 * writer has a reversal word; `undefined` when none does. `voiceEnd` is where the writer's lines end: a reply
 * by someone else that starts "But…" is the other side of a disagreement, not the writer taking it back.
 */
export function reversalAfter(body: string, end: number, voiceEnd: number): string | undefined {
  return nextSentences(body.slice(end, voiceEnd), SENTENCES_READ).find((sentence) => REVERSAL.test(sentence));
}

/** The first `count` sentences of `text`; a line break ends a sentence, since every line is a paragraph. */
export function nextSentences(text: string, count: number): string[] {
  const sentences: string[] = [];
  let rest = text;
  while (sentences.length < count) {
    rest = rest.replace(/^\s+/u, '');
    if (!rest) break;
    const end = /[.!?…]["'”’)\]]*(?=\s|$)|\n/u.exec(rest);
    const length = end ? end.index + end[0].length : rest.length;
    sentences.push(rest.slice(0, length).trim());
    rest = rest.slice(length);
  }
  return sentences;
}
