// Where the sun is and how much light reaches a horizontal surface on a clear day.
// Simple textbook formulas (Cooper's declination, the usual equation-of-time fit, Haurwitz
// clear sky): within a degree or two of an ephemeris, plenty for a demo that must look right.

const DEG = Math.PI / 180;
const DAY_MS = 86_400_000;

/** Day of the year in UTC, 1 on 1 January, with the time of day as a fraction. */
export function fractionalDayOfYear(utcMs: number): number {
  // Date objects cost more than the rest of the sun; a year lasts a while, so remember it.
  if (utcMs < yearStartMs || utcMs >= nextYearStartMs) {
    const year = new Date(utcMs).getUTCFullYear();
    yearStartMs = Date.UTC(year, 0, 1);
    nextYearStartMs = Date.UTC(year + 1, 0, 1);
  }
  return 1 + (utcMs - yearStartMs) / DAY_MS;
}
let yearStartMs = Number.POSITIVE_INFINITY;
let nextYearStartMs = Number.NEGATIVE_INFINITY;

/** Declination of the sun in degrees (Cooper 1969). */
export function solarDeclinationDeg(dayOfYear: number): number {
  return 23.45 * Math.sin((2 * Math.PI * (284 + dayOfYear)) / 365);
}

/** Equation of time in minutes: how far sundial noon drifts from mean noon over the year. */
export function equationOfTimeMin(dayOfYear: number): number {
  const b = (2 * Math.PI * (dayOfYear - 81)) / 364;
  return 9.87 * Math.sin(2 * b) - 7.53 * Math.cos(b) - 1.5 * Math.sin(b);
}

/** UTC hour of solar noon at a longitude (east positive) on a day. */
export function solarNoonUtcHour(dayOfYear: number, longitudeDeg: number): number {
  return 12 - longitudeDeg / 15 - equationOfTimeMin(dayOfYear) / 60;
}

/** Elevation of the sun above the horizon in degrees; negative at night. */
export function solarElevationDeg(
  utcMs: number,
  latitudeDeg: number,
  longitudeDeg: number,
): number {
  const day = fractionalDayOfYear(utcMs);
  const utcHour = (((utcMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const solarHour = utcHour + longitudeDeg / 15 + equationOfTimeMin(day) / 60;
  const hourAngle = 15 * (solarHour - 12) * DEG;
  const lat = latitudeDeg * DEG;
  const decl = solarDeclinationDeg(day) * DEG;
  const sinElevation =
    Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(hourAngle);
  return Math.asin(Math.max(-1, Math.min(1, sinElevation))) / DEG;
}

/** Clear-sky global horizontal irradiance in W/m² (Haurwitz 1945); 0 with the sun below the horizon. */
export function clearSkyIrradianceWPerM2(elevationDeg: number): number {
  const cosZenith = Math.sin(elevationDeg * DEG);
  if (cosZenith <= 0) return 0;
  return 1098 * cosZenith * Math.exp(-0.059 / cosZenith);
}

/**
 * Share of clear-sky irradiance that gets through a cloud cover (0..1), after Kasten and
 * Czeplak (1980): thin cover costs little, overcast costs three quarters.
 */
export function cloudTransmission(cloudCover: number): number {
  const cover = Math.max(0, Math.min(1, cloudCover));
  return 1 - 0.75 * cover ** 3.4;
}
