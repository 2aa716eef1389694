// What went wrong with a serial port, in words an installer can act on. The serialport
// bindings report open failures as plain messages ("Error: Permission denied, cannot open
// /dev/ttyUSB0" on Linux, "Opening COM3: Access denied" on Windows), without errno codes.
const OPEN_PROBLEMS: { pattern: RegExp; describe: (path: string) => string }[] = [
  {
    pattern: /no such file|ENOENT|file not found|cannot find the file/i,
    describe: (path) => `serial port ${path} does not exist (is the adapter plugged in?)`,
  },
  {
    pattern: /permission denied|EACCES|access denied|EPERM/i,
    describe: (path) =>
      `no permission to open serial port ${path} (on Linux add the station's user to the "dialout" group)`,
  },
  {
    pattern: /cannot lock port|resource temporarily unavailable|EBUSY|EAGAIN/i,
    describe: (path) => `serial port ${path} is in use by another program`,
  },
  {
    pattern: /inappropriate ioctl|ENOTTY|is a directory|EISDIR/i,
    describe: (path) => `${path} is not a serial port`,
  },
];

export function serialOpenProblem(path: string, error: unknown): string {
  const message = messageOf(error);
  const known = OPEN_PROBLEMS.find((problem) => problem.pattern.test(message));
  return known ? known.describe(path) : `cannot open serial port ${path}: ${message}`;
}

/** Why an open serial port closed; `error` is what its 'close' event carried, if anything. */
export function serialCloseReason(path: string, error: unknown, lastError: string | null): string {
  const disconnected =
    typeof error === 'object' &&
    error !== null &&
    (error as { disconnected?: unknown }).disconnected;
  if (disconnected) return `serial port ${path} went away (${messageOf(error)})`;
  return lastError ? `serial port ${path} closed: ${lastError}` : `serial port ${path} closed`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
