/**
 * Sentence splitting for Vietnamese administrative text. A sentence ends at . ! ? … (or ;) followed
 * by a space and something that starts a sentence; dates ("07/01/2019"), numbers ("1.500") and
 * document numbers ("43-KL/TW.") are not broken.
 */

/**
 * Spans of sentences as [start, end) offsets into `text`, trimmed, in order. A line break always
 * ends a sentence: a list kept in one passage has one item per line ("…sau đây:\na) …;\nb) …").
 */
export function sentenceSpans(text: string, options: { semicolons?: boolean } = {}): [number, number][] {
  const spans: [number, number][] = [];
  let at = 0;
  for (const line of text.split("\n")) {
    for (const [s, e] of lineSpans(line, options)) spans.push([at + s, at + e]);
    at += line.length + 1;
  }
  return spans;
}

function lineSpans(text: string, options: { semicolons?: boolean }): [number, number][] {
  const ends = options.semicolons ? /[.!?…;]+["”’)\]]*(?=\s+)/gu : /[.!?…]+["”’)\]]*(?=\s+)/gu;
  const spans: [number, number][] = [];
  let start = 0;
  for (const m of text.matchAll(ends)) {
    const end = (m.index ?? 0) + m[0].length;
    const rest = text.slice(end).trimStart();
    // The next sentence starts with a capital, a digit, an opening quote or a list marker.
    if (rest.length > 0 && !/^[\p{Lu}\p{N}"“'(\-–+•]/u.test(rest)) continue;
    // "3. Phát huy…": a list number is not a sentence of its own.
    if (/^\s*(?:\d{1,3}|[IVXLC]{1,6}|[a-zđ])[.)]$/u.test(text.slice(start, end))) continue;
    pushSpan(text, start, end, spans);
    start = end;
  }
  pushSpan(text, start, text.length, spans);
  return spans;
}

function pushSpan(text: string, start: number, end: number, spans: [number, number][]): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? "")) s++;
  while (e > s && /\s/.test(text[e - 1] ?? "")) e--;
  if (e > s) spans.push([s, e]);
}

/** The sentences of `text`, trimmed. */
export function sentences(text: string, options: { semicolons?: boolean } = {}): string[] {
  return sentenceSpans(text, options).map(([s, e]) => text.slice(s, e));
}
