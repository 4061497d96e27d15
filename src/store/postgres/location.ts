/**
 * A PostgreSQL store's location: `postgresql://user:password@host:port/database?sslmode=...`
 * (or `postgres://`). What the URL leaves out, node-postgres takes where libpq would: the PG*
 * variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, ...) and ~/.pgpass for
 * the password; `sslmode` and the other parameters pass through to it.
 *
 * The password never leaves this module in text meant for people: the store's `location` (in
 * messages, `db status`, JSON) is the URL without it, and errors from the driver are scrubbed.
 */

const SCHEME = /^postgres(ql)?:\/\//i;

/** Whether a --db value names a PostgreSQL server rather than an SQLite file. */
export function isPostgresLocation(location: string): boolean {
  return SCHEME.test(location) || /^postgres(ql)?:$/i.test(location);
}

/** The URL node-postgres is given (`postgresql:` alone means: everything from the PG* variables). */
export function connectionString(location: string): string {
  return SCHEME.test(location) ? location : 'postgresql://';
}

/**
 * The location as shown to people: the password (in the user part, or as a `password`
 * parameter) removed, everything else as given.
 */
export function redactLocation(location: string): string {
  const url = connectionString(location);
  const match = /^([a-z]+:\/\/)([^@/?#]*@)?(.*)$/is.exec(url);
  if (!match) return 'postgresql://';
  const [, scheme, userInfo = '', rest] = match;
  const user = userInfo === '' ? '' : `${userInfo.slice(0, -1).split(':')[0]}@`;
  const cleanRest = rest.replace(/([?&])(password|sslpassword)=[^&#]*/gi, '$1$2=***');
  return `${scheme}${user}${cleanRest}`;
}

/** The secrets a location holds (the URL's password, as given and decoded, and password parameters). */
export function secretsOf(location: string): string[] {
  const secrets: string[] = [];
  const userInfo = /^[a-z]+:\/\/([^@/?#]*)@/is.exec(location)?.[1];
  const password = userInfo?.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : undefined;
  for (const match of location.matchAll(/[?&](?:password|sslpassword)=([^&#]*)/gi)) secrets.push(match[1]);
  if (password) secrets.push(password);
  if (process.env.PGPASSWORD) secrets.push(process.env.PGPASSWORD);
  const decoded = secrets.flatMap((secret) => {
    try {
      return [secret, decodeURIComponent(secret)];
    } catch {
      return [secret];
    }
  });
  return [...new Set(decoded)].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every secret of the location replaced by `***`. */
export function scrub(text: string, location: string): string {
  let out = text;
  for (const secret of secretsOf(location)) out = out.split(secret).join('***');
  // The driver may echo the URL it was given: whatever it was, show it without its password.
  return out.replace(/postgres(ql)?:\/\/[^\s'"]*/gi, (url) => redactLocation(url));
}
