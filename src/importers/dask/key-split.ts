/**
 * Dask's `key_split` (dask/utils.py), which names the groups of its dashboard's task stream and
 * progress bars: the prefix of a task key without its token or index.
 *
 *   'x-1-2-3' -> 'x'             "('x-2', 1)" -> 'x' (a tuple key as the scheduler prints it)
 *   'hello-world-1' -> 'hello-world'            'ae05086432ca935f6eba409a8ecd4896' -> 'data'
 *   'x-abcdefab' -> 'x' (an 8-letter hex-like word is a token)
 *   '<module.submodule.myclass object at 0xdaf372' -> 'myclass'         '_(x)' -> 'x'
 *
 * Written after Dask's own code, including its quirks (an 8-letter word starting with a-f is
 * taken for a token), so that types match the groups a Dask user sees.
 */

const LETTERS = /^\p{L}+$/u;
const HEX_START = /^[a-f]+/;
const HEX_32 = /^[a-f0-9]{32}/;
const UNPLEASANT = "_'()\"";

function strip(text: string, characters: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && characters.includes(text[from])) from++;
  while (to > from && characters.includes(text[to - 1])) to--;
  return text.slice(from, to);
}

/** The key's group; a key given as a list (a tuple key saved as JSON) is split on its first element. */
export function keySplit(key: unknown): string {
  if (Array.isArray(key)) return key.length === 0 ? 'Other' : keySplit(key[0]);
  if (typeof key !== 'string' || key === '') return 'Other';
  const words = key.split('-');
  if (words[0] === '') return 'Other'; // Dask: an IndexError, caught
  let result = LETTERS.test(words[0][0]) ? words[0] : strip(words[0].split(',')[0], UNPLEASANT);
  for (const word of words.slice(1)) {
    if (LETTERS.test(word) && !(word.length === 8 && HEX_START.test(word))) result += `-${word}`;
    else break;
  }
  if (result.length === 32 && HEX_32.test(result)) return 'data';
  if (result === '') return 'Other';
  if (result[0] === '<') {
    const name = strip(result, '<>').split(/\s+/)[0].split('.');
    return name[name.length - 1] || 'Other';
  }
  return result;
}
