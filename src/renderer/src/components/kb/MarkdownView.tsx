import { createElement, useMemo, type ReactNode } from 'react';
import { parseMarkdown, type MdToken } from './markdown';

/** The only elements an article becomes; anything else is shown as its text. */
const BLOCK_TAGS = new Set(['p', 'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 's']);

/** Headings sit under the article's own title (an h2): `#` becomes h3, and none goes past h6. */
function headingTag(tag: string): string {
  const level = Number(tag.slice(1));
  return `h${Math.min(6, Math.max(3, level + 2))}`;
}

function attr(token: MdToken, name: string): string | null {
  return token.attrGet(name);
}

interface Frame {
  token: MdToken | null;
  children: ReactNode[];
}

/** An opened token closed with its children: a whitelisted element, or its children alone. */
function element(token: MdToken, children: ReactNode[], key: number): ReactNode {
  if (token.type === 'paragraph_open' && token.hidden) return children.length > 0 ? <span key={key}>{children}</span> : null;
  if (token.type === 'heading_open') return createElement(headingTag(token.tag), { key }, children);
  if (token.type === 'link_open') {
    // Shown, never followed: the address is read out to the caller, not opened on the workstation.
    const href = attr(token, 'href') ?? '';
    return (
      <span key={key} className="md-link" title={href}>
        {children}
        {href !== '' && <span className="md-link__url"> ({href})</span>}
      </span>
    );
  }
  if (token.type === 'ordered_list_open') {
    const start = Number(attr(token, 'start') ?? '1');
    return (
      <ol key={key} start={Number.isFinite(start) ? start : 1}>
        {children}
      </ol>
    );
  }
  if (BLOCK_TAGS.has(token.tag)) return createElement(token.tag, { key }, children);
  return <span key={key}>{children}</span>;
}

/** A token without children: text, breaks, code, a rule; an image is its description in brackets. */
function leaf(token: MdToken, key: number): ReactNode {
  switch (token.type) {
    case 'text':
      return token.content;
    case 'softbreak':
      return '\n';
    case 'hardbreak':
      return <br key={key} />;
    case 'code_inline':
      return <code key={key}>{token.content}</code>;
    case 'code_block':
    case 'fence':
      return (
        <pre key={key}>
          <code>{token.content}</code>
        </pre>
      );
    case 'hr':
      return <hr key={key} />;
    case 'image':
      return (
        <span key={key} className="md-image">
          [{token.children ? build(token.children) : token.content}]
        </span>
      );
    case 'inline':
      return token.children ? build(token.children) : token.content;
    default:
      // html_block / html_inline cannot occur with html off; anything unforeseen is shown as text.
      return token.content;
  }
}

/** Nests markdown-it's flat token stream (open, leaf, close) into React nodes. */
export function build(tokens: readonly MdToken[]): ReactNode[] {
  const stack: Frame[] = [{ token: null, children: [] }];
  let key = 0;
  for (const token of tokens) {
    const top = stack[stack.length - 1];
    if (!top) break;
    if (token.nesting === 1) {
      stack.push({ token, children: [] });
    } else if (token.nesting === -1) {
      const frame = stack.pop();
      const parent = stack[stack.length - 1];
      if (!frame?.token || !parent) continue;
      parent.children.push(element(frame.token, frame.children, key++));
    } else {
      top.children.push(leaf(token, key++));
    }
  }
  // Unclosed frames (never from markdown-it) are flattened rather than lost.
  while (stack.length > 1) {
    const frame = stack.pop();
    stack[stack.length - 1]?.children.push(...(frame?.children ?? []));
  }
  return stack[0]?.children ?? [];
}

/** An article's body: Markdown shown as React elements only (see markdown.ts). */
export function MarkdownView({ source, className }: { source: string; className?: string }) {
  const nodes = useMemo(() => build(parseMarkdown(source)), [source]);
  return <div className={`markdown ${className ?? ''}`}>{nodes}</div>;
}
