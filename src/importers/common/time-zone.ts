/**
 * Wall-clock times without a zone (Nextflow's `2021-02-17 14:49:08.180`, Snakemake's log
 * `[Tue Dec  1 22:14:48 2026]`) turned into epoch seconds, in a zone the user states.
 *
 * A zone is `UTC`, a fixed offset (`+02:00`, `-0530`) or an IANA name (`Europe/Zurich`), whose
 * offset changes with daylight saving time: Node's Intl (full ICU) knows them all. Converting a
 * wall time asks Intl for the zone's offset at that instant, which costs microseconds; traces of a
 * million rows repeat the same quarter hours, so offsets are cached per 15 minutes of wall time
 * (every zone changes its offset on a quarter hour).
 */
import { InputError } from '../../errors.js';

export interface TimeZone {
  /** As the user wrote it (`UTC` when defaulted). */
  readonly name: string;
  /** Epoch seconds of a wall-clock time in this zone (month 1-12; seconds may have a fraction). */
  epoch(year: number, month: number, day: number, hour: number, minute: number, second: number): number;
}

const FIXED_OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

export const UTC: TimeZone = fixedZone('UTC', 0);

/** The zone `--tz` names; an unknown zone is an error listing what is accepted. */
export function timeZoneNamed(name: string): TimeZone {
  const text = name.trim();
  if (/^(UTC|GMT|Z)$/i.test(text)) return { ...UTC, name: text };
  const fixed = FIXED_OFFSET.exec(text);
  if (fixed) {
    const hours = Number(fixed[2]);
    const minutes = fixed[3] === undefined ? 0 : Number(fixed[3]);
    if (hours > 18 || minutes > 59) throw badZone(name);
    return fixedZone(text, (fixed[1] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60));
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: text,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw badZone(name);
  }
  return ianaZone(text, format);
}

function badZone(name: string): InputError {
  return new InputError(`unknown time zone ${JSON.stringify(name)}: give an IANA name (Europe/Zurich, America/Chicago), UTC, or an offset (+02:00)`);
}

function fixedZone(name: string, offsetSeconds: number): TimeZone {
  return {
    name,
    epoch: (year, month, day, hour, minute, second) => Date.UTC(year, month - 1, day, hour, minute) / 1000 + second - offsetSeconds,
  };
}

function ianaZone(name: string, format: Intl.DateTimeFormat): TimeZone {
  const cache = new Map<number, number>();
  /** Offset (s) of the zone at an instant (epoch s): its wall time there minus the instant. */
  const offsetAt = (instant: number): number => {
    const parts = format.formatToParts(new Date(Math.floor(instant) * 1000));
    const value = (type: string) => Number(parts.find((part) => part.type === type)!.value);
    const wall = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second')) / 1000;
    return wall - Math.floor(instant);
  };
  return {
    name,
    epoch(year, month, day, hour, minute, second) {
      const wall = Date.UTC(year, month - 1, day, hour, minute) / 1000;
      const bucket = Math.floor(wall / 900);
      let offset = cache.get(bucket);
      if (offset === undefined) {
        // The offset at the instant the wall time would be in UTC, then again at the instant that
        // gives: two steps settle it except in the hour a clock skips or repeats, where the
        // earlier reading of a repeated hour is taken, as most libraries do.
        const first = offsetAt(wall);
        const second = offsetAt(wall - first);
        offset = first === second ? first : Math.max(first, second);
        cache.set(bucket, offset);
      }
      return wall + second - offset;
    },
  };
}
