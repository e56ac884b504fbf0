/**
 * A small, strict XML reader for tests: elements, text, the five named entities and numeric
 * references, self-closing tags and the declaration; no attributes, comments or CDATA (GeoReport
 * documents have none). Throws on anything malformed, so a test that parses a response also
 * checks that the server escaped it.
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  if (raw.includes('<') || raw.includes('>')) throw new Error(`unescaped markup character in text at ${at}`);
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated entity at ${at}`);
    if (ref in NAMED) return NAMED[ref] ?? '';
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (!m?.[1]) throw new Error(`unknown entity &${ref}; at ${at}`);
    return String.fromCodePoint(m[1].startsWith('x') ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10));
  });
}

export function parseXml(doc: string): XmlElement {
  let pos = 0;
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>\s*/i.exec(doc);
  if (!decl) throw new Error('missing XML declaration with encoding="utf-8"');
  pos = decl[0].length;
  const NAME = /^<([A-Za-z_][\w.-]*)\s*(\/?)>/;

  function element(): XmlElement {
    const open = NAME.exec(doc.slice(pos));
    if (!open?.[1]) throw new Error(`expected a start tag at ${pos}: ${doc.slice(pos, pos + 30)}`);
    pos += open[0].length;
    const el: XmlElement = { name: open[1], children: [], text: '' };
    if (open[2] === '/') return el;
    let raw = '';
    const rawAt = pos;
    for (;;) {
      const lt = doc.indexOf('<', pos);
      if (lt < 0) throw new Error(`unclosed <${el.name}>`);
      raw += doc.slice(pos, lt);
      pos = lt;
      if (doc.startsWith('</', pos)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(doc.slice(pos));
        if (close?.[1] !== el.name) throw new Error(`expected </${el.name}> at ${pos}`);
        pos += close[0].length;
        if (el.children.length > 0 && raw.trim() !== '') throw new Error(`mixed content in <${el.name}>`);
        el.text = el.children.length > 0 ? '' : decode(raw, rawAt);
        return el;
      }
      el.children.push(element());
    }
  }

  const root = element();
  if (doc.slice(pos).trim() !== '') throw new Error(`content after the root element at ${pos}`);
  return root;
}

/** The JSON a GeoReport XML document stands for (Spark convention), with every value a string. */
export function sparkJson(el: XmlElement, arrays: ReadonlySet<string>): unknown {
  if (arrays.has(el.name)) return el.children.length === 0 ? null : el.children.map((c) => sparkJson(c, arrays));
  if (el.children.length === 0) return el.text === '' ? null : el.text;
  return Object.fromEntries(el.children.map((c) => [c.name, sparkJson(c, arrays)]));
}

/** A JSON body made comparable with `sparkJson`: scalars as strings, empty arrays and objects as null. */
export function asSpark(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.map(asSpark);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? null : Object.fromEntries(entries.map(([k, v]) => [k, asSpark(v)]));
  }
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`not a JSON value: ${typeof value}`);
}
