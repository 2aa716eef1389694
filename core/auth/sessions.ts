// Login sessions, in memory: a restart logs everyone out, which is what a shared site PC
// wants after a power cut. The client holds a random 256-bit token; the store keeps only its
// SHA-256, so a memory dump or log line never holds a usable token.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './roles';

export interface Session {
  user: string;
  role: Role;
  createdMs: number;
  lastSeenMs: number;
  expiresMs: number;
}

export interface SessionLimits {
  /** Logged out after this long without a request. */
  idleMs: number;
  /** Logged out this long after login, however busy. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
};

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS) {}

  create(user: string, role: Role, nowMs: number): { token: string; session: Session } {
    this.#sweep(nowMs);
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      user,
      role,
      createdMs: nowMs,
      lastSeenMs: nowMs,
      expiresMs: this.#expiry(nowMs, nowMs),
    };
    this.#sessions.set(digest(token), session);
    return { token, session };
  }

  /** The live session of a token (sliding its idle expiry), or null. */
  touch(token: string, nowMs: number): Session | null {
    if (token.length === 0 || token.length > 128) return null;
    const key = digest(token);
    const session = this.#sessions.get(key);
    if (!session) return null;
    if (nowMs >= session.expiresMs) {
      this.#sessions.delete(key);
      return null;
    }
    session.lastSeenMs = nowMs;
    session.expiresMs = this.#expiry(session.createdMs, nowMs);
    return { ...session };
  }

  /** The live session of a token without sliding it (pushing events is not activity). */
  peek(token: string, nowMs: number): Session | null {
    if (token.length === 0 || token.length > 128) return null;
    const session = this.#sessions.get(digest(token));
    return session && nowMs < session.expiresMs ? { ...session } : null;
  }

  /** The newest live session of a user, without touching it. */
  newestOf(user: string, nowMs: number): Session | null {
    let newest: Session | null = null;
    for (const s of this.#sessions.values())
      if (s.user.toLowerCase() === user.toLowerCase() && nowMs < s.expiresMs)
        if (!newest || s.createdMs > newest.createdMs) newest = s;
    return newest ? { ...newest } : null;
  }

  revoke(token: string): boolean {
    return this.#sessions.delete(digest(token));
  }

  /** Ends every session of a user (password or role changed, account removed). */
  revokeUser(user: string): number {
    let n = 0;
    for (const [key, s] of this.#sessions)
      if (s.user.toLowerCase() === user.toLowerCase()) {
        this.#sessions.delete(key);
        n++;
      }
    return n;
  }

  #expiry(createdMs: number, nowMs: number): number {
    return Math.min(nowMs + this.limits.idleMs, createdMs + this.limits.absoluteMs);
  }

  #sweep(nowMs: number): void {
    for (const [key, s] of this.#sessions) if (nowMs >= s.expiresMs) this.#sessions.delete(key);
  }
}
