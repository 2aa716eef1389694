// What the UI checks before sending a new password or a login, so that the common mistakes
// are named at the field; the station checks again (weak_password) and decides.
import type { AuthError } from '../api/auth-transport';
import type { MessageKey } from '../i18n/dictionaries';

/** As core/auth/password-hash.ts (a test keeps the two equal). */
export const PASSWORD_MIN_CHARS = 10;

export type PasswordProblem = 'tooShort' | 'mismatch';

/** Why a new password (typed twice) cannot be sent, or null. Counts characters, not bytes. */
export function passwordProblem(password: string, again: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_CHARS || password.trim() === '') return 'tooShort';
  if (password !== again) return 'mismatch';
  return null;
}

export interface Message {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** The sentence for a failed login or first-run setup. */
export function authErrorMessage(error: AuthError): Message {
  switch (error.code) {
    case 'auth_failed':
      return { key: 'auth.login.failed' };
    case 'locked':
      return error.retryAfterS === undefined
        ? { key: 'auth.login.lockedNow' }
        : { key: 'auth.login.locked', params: { seconds: Math.max(1, error.retryAfterS) } };
    case 'weak_password':
      return { key: 'auth.tooShort', params: { min: PASSWORD_MIN_CHARS } };
    case 'already_set_up':
      return { key: 'auth.setup.exists' };
    case 'not_local':
      return { key: 'auth.setup.notLocal' };
    case 'disconnected':
      return { key: 'auth.disconnected' };
    case 'bad_request':
    case 'internal':
      return { key: 'auth.refused' };
  }
}
