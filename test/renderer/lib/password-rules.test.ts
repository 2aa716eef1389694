import { describe, expect, it } from 'vitest';
import { authErrorMessage, passwordProblem } from '../../../renderer/lib/password-rules';

describe('passwordProblem', () => {
  it('wants ten characters (not bytes), not only spaces, typed twice alike', () => {
    expect(passwordProblem('short', 'short')).toBe('tooShort');
    expect(passwordProblem('          ', '          ')).toBe('tooShort');
    expect(passwordProblem('كلمةمرورطو', 'كلمةمرورطو')).toBeNull(); // 10 letters, 20 bytes
    expect(passwordProblem('correct horse', 'correct hose')).toBe('mismatch');
    expect(passwordProblem('correct horse', 'correct horse')).toBeNull();
  });
});

describe('authErrorMessage', () => {
  it('names wrong passwords and lock-outs with the wait', () => {
    expect(authErrorMessage({ code: 'auth_failed', message: '' })).toEqual({
      key: 'auth.login.failed',
    });
    expect(authErrorMessage({ code: 'locked', message: '', retryAfterS: 30 })).toEqual({
      key: 'auth.login.locked',
      params: { seconds: 30 },
    });
    expect(authErrorMessage({ code: 'locked', message: '' })).toEqual({
      key: 'auth.login.lockedNow',
    });
    expect(authErrorMessage({ code: 'not_local', message: '' }).key).toBe('auth.setup.notLocal');
    expect(authErrorMessage({ code: 'disconnected', message: '' }).key).toBe('auth.disconnected');
  });
});
