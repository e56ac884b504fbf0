/**
 * Text for the workstation's full-text index (SQLite FTS5, `unicode61` tokenizer), and queries
 * against it, built so that Chinese of any length is found: every Han character (and kana,
 * hangul) becomes a token of its own, so a 1-character query is one token, and a longer run of
 * characters is a phrase of consecutive tokens ("望京" → "望 京"), which FTS5 matches by position.
 * Latin words and numbers stay whole tokens; the last word of a query matches as a prefix.
 */

/** Han ideographs (with extension A and compatibility), kana and hangul: one token per character. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const LATIN = /[\p{L}\p{N}]/u;

/** Splits text into index tokens: single CJK characters and Latin/digit words (lower case), in order. */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  let word = '';
  const flush = () => {
    if (word) out.push(word.toLowerCase());
    word = '';
  };
  for (const ch of text.normalize('NFKC')) {
    if (CJK.test(ch)) {
      flush();
      out.push(ch);
    } else if (LATIN.test(ch)) {
      word += ch;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

/** The text an FTS5 `unicode61` column is given for these fields: tokens joined by spaces. */
export function indexText(...fields: readonly (string | null | undefined)[]): string {
  return fields.flatMap((f) => (f ? indexTokens(f) : [])).join(' ');
}

/** A query's groups: each run of CJK characters is one phrase; each Latin word one term. */
export interface QueryPart {
  kind: 'phrase' | 'word';
  tokens: string[];
}

export function queryParts(query: string): QueryPart[] {
  const parts: QueryPart[] = [];
  let run: string[] = [];
  const flushRun = () => {
    if (run.length) parts.push({ kind: 'phrase', tokens: run });
    run = [];
  };
  // Whitespace and punctuation separate groups; a run of CJK characters stays one phrase.
  for (const piece of query.normalize('NFKC').split(/[^\p{L}\p{N}]+/u)) {
    for (const token of indexTokens(piece)) {
      if (CJK.test(token)) run.push(token);
      else {
        flushRun();
        parts.push({ kind: 'word', tokens: [token] });
      }
    }
    flushRun();
  }
  return parts;
}

/**
 * An FTS5 MATCH expression for a query: every group must match (AND); a CJK run as a phrase, a
 * Latin word as itself — the last one as a prefix, since the operator is still typing it. Null
 * when the query has nothing to search for.
 */
export function ftsQuery(query: string): string | null {
  const parts = queryParts(query);
  if (parts.length === 0) return null;
  return parts
    .map((p, i) => {
      const phrase = `"${p.tokens.join(' ').replaceAll('"', '""')}"`;
      return p.kind === 'word' && i === parts.length - 1 ? `${phrase}*` : phrase;
    })
    .join(' ');
}

/** Only the digits of a text (a phone number or a case number as typed). */
export function digitsOf(text: string): string {
  return text.normalize('NFKC').replace(/\D+/g, '');
}

/** The text backwards (for the digit strings it is used on, one code unit is one character). */
export function reversed(text: string): string {
  return text.split('').reverse().join('');
}
