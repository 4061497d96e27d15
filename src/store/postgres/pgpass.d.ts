/** The pgpass module (node-postgres' own lookup of ~/.pgpass), which ships no types. */
declare module 'pgpass' {
  function pgpass(connection: { host: string; port: number; database: string; user: string }, callback: (password: string | undefined) => void): void;
  export default pgpass;
}
