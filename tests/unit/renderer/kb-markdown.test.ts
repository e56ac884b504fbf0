import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MarkdownView } from '../../../src/renderer/src/components/kb/MarkdownView';

const html = (source: string) => renderToStaticMarkup(createElement(MarkdownView, { source }));

// An article's body as the workstation shows it: Markdown as React elements from a fixed list,
// no raw HTML, nothing that runs, navigates or loads from elsewhere.
describe('safe Markdown of articles', () => {
  it('renders the structure articles use: headings under the title, lists, emphasis, tables, code', () => {
    const out = html('# 办理材料\n\n1. **身份证**\n2. 户口簿\n\n- 可以*网上*办理\n- ~~现场~~\n\n| 类别 | 费用 |\n|---|---|\n| 居民 | 30 元 |\n\n`12345`');
    expect(out).toContain('<h3>办理材料</h3>');
    expect(out).toContain('<ol start="1"><li><span><strong>身份证</strong></span></li>');
    expect(out).toContain('<em>网上</em>');
    expect(out).toContain('<s>现场</s>');
    expect(out).toContain('<td>30 元</td>');
    expect(out).toContain('<code>12345</code>');
  });

  it('shows raw HTML as text: no script, no event handler, no iframe', () => {
    const out = html('<script>alert(1)</script>\n\n段落 <img src=x onerror="alert(2)"> <iframe src="https://evil.example"></iframe>');
    expect(out).not.toMatch(/<script|<img|<iframe/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('loads nothing remote and follows no link: an image is its description, a link its text and address', () => {
    const out = html('![供暖示意图](https://example.com/pic.png) 详见[北京市政府网站](https://www.beijing.gov.cn/) 与 [坏链接](javascript:alert(1))');
    expect(out).not.toMatch(/<img|<a |href=|src=/);
    expect(out).toContain('[供暖示意图]');
    expect(out).toContain('北京市政府网站<span class="md-link__url"> (https://www.beijing.gov.cn/)</span>');
    // markdown-it refuses a javascript: address as a link at all; it stays text.
    expect(out).not.toContain('md-link__url"> (javascript:');
  });

  it('caps headings at h6 and keeps a line break', () => {
    const out = html('#### 四级\n\n第一行  \n第二行');
    expect(out).toContain('<h6>四级</h6>');
    expect(out).toContain('第一行<br/>第二行');
  });
});
