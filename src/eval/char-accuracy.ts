/**
 * How much of a text a reading (OCR, a PDF's text layer) got right: 1 − CER, the character edit
 * distance (Levenshtein) divided by the reference's length, after both are NFC with whitespace
 * collapsed to single spaces. Used by the format benchmark and the OCR tests.
 */

/** Text compared character by character: NFC, one space for any run of whitespace. */
export function comparable(text: string): string {
  return text.normalize("NFC").replace(/\s+/gu, " ").trim();
}

/** Levenshtein distance between two strings, by code point, in O(len(a) · len(b)) time. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Uint32Array(y.length + 1);
  let cur = new Uint32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (prev[j - 1] as number) + (xi === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(substitution, (prev[j] as number) + 1, (cur[j - 1] as number) + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length] as number;
}

/** 1 − CER of `read` against `reference` (may go below 0 for a reading far longer than the text). */
export function characterAccuracy(read: string, reference: string): number {
  const ref = comparable(reference);
  const got = comparable(read);
  if (ref.length === 0) return got.length === 0 ? 1 : 0;
  return 1 - editDistance(got, ref) / [...ref].length;
}
