/** The data directory or database file cannot be used; the message names the path. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly code: 'unwritable' | 'corrupt' | 'locked' | 'newer_schema' | 'io',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
