// ISO-8601 durations of fixed length (days, hours, minutes, seconds: `PT5M`, `P1DT12H`, `PT0.5S`) in milliseconds.
// Years and months are refused: their length depends on the calendar.
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

const MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1_000 } as const;

/** Milliseconds, or undefined for anything that is not such a duration (also `P`, `PT`). */
export function parseIsoDuration(text: string): number | undefined {
  const upper = text.trim().toUpperCase();
  const match = DURATION.exec(upper);
  // The pattern's parts are all optional: a bare `P`, or a `T` with nothing after it, says no length.
  if (match === null || upper === 'P' || upper.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const number = (value: string | undefined) => (value === undefined ? 0 : Number(value.replace(',', '.')));
  const ms =
    number(weeks) * MS.week + number(days) * MS.day + number(hours) * MS.hour + number(minutes) * MS.minute + Math.round(number(seconds) * MS.second);
  return Number.isSafeInteger(ms) ? ms : undefined;
}
