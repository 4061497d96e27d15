/**
 * Fast parsing of the date-times that HPC systems write millions of: `2026-12-01T22:44:39`
 * (sacct), `2026-12-01 22:50:29.681246` (Parsl's SQLAlchemy DATETIME). Both are local times
 * without an offset, read as UTC like every time without an offset (importers/time.ts): only
 * differences matter to the analyses, and they are right unless the run crossed a change of
 * daylight saving time.
 *
 * `parseTime` handles any ISO 8601 text with a regular expression and `Date.UTC`, about a
 * microsecond per call; at ten million times per trace that is seconds. Here the fixed layout is
 * read digit by digit and the date's midnight is remembered from the previous call (times of one
 * trace share a few dates), which is some twenty times faster. Anything else goes to `parseTime`.
 */
import { parseTime } from './time.js';

let cachedDate = '';
let cachedMidnight = NaN;

/** Seconds since the epoch, or NaN when the text is not a time. */
export function parseDateTime(text: string): number {
  const n = text.length;
  if (n >= 19 && isLayout(text)) {
    const date = text.slice(0, 10);
    if (date !== cachedDate) {
      const midnight = parseTime(date);
      if (midnight !== midnight) return parseTime(text);
      cachedDate = date;
      cachedMidnight = midnight;
    }
    const hour = digits2(text, 11);
    const minute = digits2(text, 14);
    const second = digits2(text, 17);
    if (hour > 23 || minute > 59 || second > 60) return NaN;
    let seconds = cachedMidnight + hour * 3600 + minute * 60 + second;
    if (n > 19) {
      if (text.charCodeAt(19) !== 46 /* . */ || n === 20) return parseTime(text);
      let fraction = 0;
      let scale = 1;
      for (let i = 20; i < n; i++) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return parseTime(text);
        fraction = fraction * 10 + d;
        scale *= 10;
      }
      seconds += fraction / scale;
    }
    return seconds;
  }
  return parseTime(text);
}

/** `YYYY-MM-DD?HH:MM:SS` with `T` or a space between date and time. */
function isLayout(text: string): boolean {
  const sep = text.charCodeAt(10);
  return (
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    (sep === 84 || sep === 32) &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    isDigit(text, 11) &&
    isDigit(text, 12) &&
    isDigit(text, 14) &&
    isDigit(text, 15) &&
    isDigit(text, 17) &&
    isDigit(text, 18)
  );
}

function isDigit(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c >= 48 && c <= 57;
}

function digits2(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}
