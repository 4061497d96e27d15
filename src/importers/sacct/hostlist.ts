/**
 * Slurm host lists (`NodeList`): `node1`, `node[01-03,07]`, `rack[1-2]-n[01-02]`, joined by commas.
 * Numbers keep their zero padding (`node[08-10]` is node08, node09, node10), as Slurm's own
 * hostlist_expand does (src/common/hostlist.c).
 */

/** The host names of a list; throws when it is malformed or names more than `limit` hosts. */
export function expandHostlist(text: string, limit = 100_000): string[] {
  const hosts: string[] = [];
  for (const part of splitTopLevel(text)) {
    if (part === '') continue;
    for (const host of expandOne(part, limit - hosts.length)) hosts.push(host);
  }
  return hosts;
}

/** Splits at commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth < 0) throw new Error(`host list "${text}": "]" without "["`);
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  if (depth !== 0) throw new Error(`host list "${text}": "[" without "]"`);
  parts.push(text.slice(from));
  return parts;
}

/** One name with any number of bracket groups: the product of their ranges. */
function expandOne(pattern: string, limit: number): string[] {
  const open = pattern.indexOf('[');
  if (open < 0) return [pattern];
  const close = pattern.indexOf(']', open);
  const prefix = pattern.slice(0, open);
  const rest = expandOne(pattern.slice(close + 1), limit);
  const names: string[] = [];
  for (const range of pattern.slice(open + 1, close).split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (!m) throw new Error(`host list "${pattern}": "${range}" is not a number or a range`);
    const width = m[1].length;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`host list "${pattern}": range ${range} runs backwards`);
    if (names.length + (to - from + 1) * rest.length > limit) throw new Error(`host list "${pattern}" names more than ${limit} hosts`);
    for (let n = from; n <= to; n++) {
      const number = String(n).padStart(width, '0');
      for (const tail of rest) names.push(prefix + number + tail);
    }
  }
  return names;
}
