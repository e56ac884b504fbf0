// GeoReport v2's XML is the Spark-convention twin of its JSON: an object is an element with one
// child per field, an array is a wrapper element repeating an item element, null is empty.

/** XML 1.0 cannot carry these characters at all, escaped or not; they are dropped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML_CHARS, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Element names of array items, by the name of the array (services → service …). */
export type ItemNames = Readonly<Record<string, string>>;

function element(name: string, value: unknown, items: ItemNames, indent: string): string {
  if (value === null || value === undefined) return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const item = items[name];
    if (!item) throw new Error(`no item element name for array ${name}`);
    if (value.length === 0) return `${indent}<${name}/>`;
    const inner = value.map((v) => element(item, v, items, `${indent}  `)).join('\n');
    return `${indent}<${name}>\n${inner}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return `${indent}<${name}/>`;
    const inner = entries.map(([k, v]) => element(k, v, items, `${indent}  `)).join('\n');
    return `${indent}<${name}>\n${inner}\n${indent}</${name}>`;
  }
  if (typeof value === 'string') return `${indent}<${name}>${escapeXml(value)}</${name}>`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${indent}<${name}>${String(value)}</${name}>`;
  throw new Error(`cannot write ${typeof value} as XML`);
}

/** A whole document: the declaration, then `root` holding `value` (an array repeats `items[root]`). */
export function toXml(root: string, value: unknown, items: ItemNames): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, items, '')}\n`;
}
