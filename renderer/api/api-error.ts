import type { ApiErrorCode } from './contract';

/**
 * Codes a request can fail with: the station's own codes, plus two the client adds when
 * no answer can come (`timeout`: none in time; `disconnected`: the link dropped while the
 * request was in flight, so it may or may not have run).
 */
export type ClientErrorCode = ApiErrorCode | 'timeout' | 'disconnected';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
