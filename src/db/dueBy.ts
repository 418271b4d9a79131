import { lt, type Column } from 'drizzle-orm';

/**
 * `column` is at or before `now`, counting `now` to the end of its millisecond: Postgres keeps microseconds and a
 * `Date` does not, so a row stamped by `now()` in the same millisecond is due.
 */
export function dueBy(column: Column, now: Date) {
  return lt(column, new Date(now.getTime() + 1));
}
