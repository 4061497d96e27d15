/**
 * Credentials out of URLs and other values before they are stored: a job URL or a `--meta`
 * value may carry a token (`https://oauth2:glpat-...@gitlab.example.com/...`,
 * `...?private_token=...`). What is removed is replaced by `REDACTED`, so that it shows that
 * something was there.
 */

export const REDACTED = 'REDACTED';

/** Query and fragment parameters whose values are secrets. */
const SECRET_PARAMETER = /(token|secret|passw(or)?d|pwd|api[_-]?key|access[_-]?key|auth|credential|signature|^sig$|^code$|session)/i;

/** `scheme://user:password@` anywhere in a text (URLs that the URL parser refuses included). */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/**
 * A URL (or any text holding URLs) without credentials: user names and passwords, and the
 * values of parameters named like secrets, become REDACTED.
 *
 * @example redactUrl('https://oauth2:glpat-xyz@gitlab.com/g/p/-/jobs/1?private_token=abc&x=1')
 *   // => 'https://REDACTED@gitlab.com/g/p/-/jobs/1?private_token=REDACTED&x=1'
 */
export function redactUrl(text: string): string {
  return text
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(/([?&#;])([^=&#\s]+)=([^&#\s]*)/g, (all, sep: string, name: string, value: string) =>
      SECRET_PARAMETER.test(decodeSafely(name)) && value !== '' ? `${sep}${name}=${REDACTED}` : all,
    );
}

/** A `--meta` key that names a credential (`token`, `db_password`, `API_KEY`): its value is not kept. */
export function isSecretKey(key: string): boolean {
  return /(^|[_.-])(token|secret|passw(or)?d|pwd|api[_-]?key|credentials?)([_.-]|$)/i.test(key) || /^(token|secret|password|apikey)$/i.test(key);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
