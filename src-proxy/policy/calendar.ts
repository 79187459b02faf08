/**
 * The accounting periods of an instant in the machine's local calendar: the day and month a
 * budget belongs to, and when each ends (Retry-After of a spent budget). Cached until the day
 * ends, so the request path does not build a Date per request.
 */
export interface Periods {
  /** `YYYY-MM-DD`, local. */
  day: string;
  /** `YYYY-MM`, local. */
  month: string;
  /** Epoch ms of the next local midnight. */
  dayEnd: number;
  /** Epoch ms of the first local midnight of the next month. */
  monthEnd: number;
  /** Epoch ms of this local day's midnight. */
  dayStart: number;
}

const pad = (value: number) => String(value).padStart(2, '0');

export function periodsOf(now: number): Periods {
  const date = new Date(now);
  const year = date.getFullYear();
  const month = date.getMonth();
  const day = date.getDate();
  return {
    day: `${year}-${pad(month + 1)}-${pad(day)}`,
    month: `${year}-${pad(month + 1)}`,
    dayStart: new Date(year, month, day).getTime(),
    dayEnd: new Date(year, month, day + 1).getTime(),
    monthEnd: new Date(year, month + 1, 1).getTime(),
  };
}

/** periodsOf with the last answer reused while `now` stays inside its day. */
export function createCalendar(): (now: number) => Periods {
  let cached: Periods | null = null;
  return (now) => {
    if (cached === null || now >= cached.dayEnd || now < cached.dayStart) cached = periodsOf(now);
    return cached;
  };
}
