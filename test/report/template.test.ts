import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html/escape.js';
import { html, trusted } from '../../src/report/html/template.js';
import { shellWord } from '../../src/report/sections/comparison.js';

describe('escapeHtml and the html template', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')"> & co`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co');
  });

  it('escapes every interpolated string, also inside lists, and keeps fragments it built', () => {
    const name = '<script>alert(1)</script>';
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${name}">${inner}${[name, 3, null, false, undefined]}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b>&lt;script&gt;alert(1)&lt;/script&gt;3</p>',
    );
    expect(html`${trusted('<svg/>')}`.value).toBe('<svg/>');
  });
});

describe('shellWord', () => {
  it('leaves plain words, single-quotes the rest', () => {
    expect(shellWord('dg2-sync')).toBe('dg2-sync');
    expect(shellWord('traces/specs/dg2.yaml')).toBe('traces/specs/dg2.yaml');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's $(rm -rf x)")).toBe("'it'\\''s $(rm -rf x)'");
  });
});
