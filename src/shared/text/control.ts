/**
 * Control characters in input. NUL and the other C0 controls (U+0000–U+001F, but tab, line feed
 * and carriage return), DEL (U+007F) and lone UTF-16 surrogates are refused wherever text comes
 * in — a mutation's arguments, an HTTP body, a contract call — before anything is stored:
 * PostgreSQL cannot store U+0000 in text at all (the case would be lost), and none of them is
 * anything a caller said.
 */

export interface ControlCharFinding {
  /** Where it is: `description`, `changes.callerName`, `attribute[noiseSource]`, `answers[key]`. */
  field: string;
  codePoint: number;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first refused character in a string, or null. */
export function controlCharIn(text: string): number | null {
  const m = CONTROL.exec(text);
  return m ? (m[0].codePointAt(0) ?? 0) : null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A field path as people write it; an odd key (a control character in it, say) shown as escaped JSON. */
const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : IDENTIFIER.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;

/**
 * The first string (or object key) holding a refused character anywhere in a JSON-like value,
 * depth-first, or null. Deep values are walked iteratively, so nesting cannot overflow the stack.
 */
export function findControlChar(value: unknown, root = ''): ControlCharFinding | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      const cp = controlCharIn(v);
      if (cp !== null) return { field: path, codePoint: cp };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], join(path, i)]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        const cp = controlCharIn(key);
        if (cp !== null) return { field: join(path, key), codePoint: cp };
        stack.push([child, join(path, key)]);
      }
    }
  }
  return null;
}

const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** `description: control character U+0000 is not allowed`. */
export function describeControlChar(f: ControlCharFinding): string {
  const what = f.codePoint >= 0xd800 && f.codePoint <= 0xdfff ? 'unpaired surrogate' : 'control character';
  return `${f.field === '' ? 'value' : f.field}: ${what} ${hex(f.codePoint)} is not allowed`;
}
