import type { ArticleHit } from '../../../../shared/contract/contract';

/** A search hit's snippet with the matched parts marked (offsets from the core, clamped and ordered here). */
export function Snippet({ snippet }: { snippet: ArticleHit['snippet'] }) {
  const { text } = snippet;
  const marks = [...snippet.marks].map(([a, b]) => [Math.max(0, a), Math.min(text.length, b)] as const).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const parts: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const [a, b] of marks) {
    if (a < at) continue;
    if (a > at) parts.push({ text: text.slice(at, a), marked: false });
    parts.push({ text: text.slice(a, b), marked: true });
    at = b;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return (
    <span className="kb-snippet">
      {parts.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
