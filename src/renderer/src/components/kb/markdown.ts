import MarkdownIt from 'markdown-it';

/**
 * The knowledge base's Markdown, parsed by markdown-it (CommonMark, maintained) with raw HTML off:
 * `<script>` or `<img onerror>` in an article is text. Only the token stream is used; the HTML
 * renderer of markdown-it is never called. `MarkdownView` turns the tokens into React elements
 * from a fixed list of tags, so nothing reaches the page as HTML, no link navigates and no image
 * loads: an article shows no remote content.
 */
const parser = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
// Tables and strikethrough are useful in articles (fees, documents to bring).
parser.enable(['table', 'strikethrough']);

export type MdToken = ReturnType<MarkdownIt['parse']>[number];

export function parseMarkdown(source: string): MdToken[] {
  return parser.parse(source, {});
}
