// Which screen the app shows before and around the station pages: asking the station,
// creating the first admin, logging in, or the app itself with the caller's session.
// Plain TypeScript (session.svelte.ts makes it reactive), so tests drive it directly.
import { isApiError } from '../api/api-error';
import type { AuthError, AuthTransport } from '../api/auth-transport';
import type { SessionView } from '../api/contract';

export type Gate =
  /** Asking the station who this is. */
  | { kind: 'checking' }
  /** The station did not answer; asking again shortly. */
  | { kind: 'unreachable' }
  /** This window cannot log in (an Electron preload without `auth`): nothing to retry. */
  | { kind: 'noLogin' }
  /** No account exists yet: create the admin. */
  | { kind: 'setup' }
  /** `why`: the session ended while the app was in use, or the own password changed. */
  | { kind: 'login'; why: LoginReason }
  | { kind: 'in'; session: SessionView };

export type LoginReason = 'none' | 'expired' | 'passwordChanged';

export const RECHECK_MS = 3_000;
const MAX_RELINKS = 3;

export class SessionFlow {
  readonly #auth: AuthTransport;
  readonly #changed: (gate: Gate) => void;
  #gate: Gate = { kind: 'checking' };
  #recheck: ReturnType<typeof setTimeout> | null = null;
  /** One check at a time, however many requests are refused at once. */
  #lost: Promise<void> | null = null;
  /** Links made anew for a refusal since the last login: a station that keeps refusing wins. */
  #relinks = 0;

  constructor(auth: AuthTransport, changed: (gate: Gate) => void) {
    this.#auth = auth;
    this.#changed = changed;
  }

  get gate(): Gate {
    return this.#gate;
  }

  get session(): SessionView | null {
    return this.#gate.kind === 'in' ? this.#gate.session : null;
  }

  /** Asks the station whether this browser/window is logged in. */
  async check(): Promise<void> {
    this.#clearRecheck();
    try {
      const state = await this.#auth.session();
      if (state.ok) this.#set({ kind: 'in', session: state.session });
      else this.#set(state.setupNeeded ? { kind: 'setup' } : { kind: 'login', why: 'none' });
    } catch (error) {
      if (isApiError(error) && error.code === 'unknown_method') {
        this.#set({ kind: 'noLogin' });
        return;
      }
      if (isApiError(error) && error.code !== 'disconnected') console.error(error);
      this.#set({ kind: 'unreachable' });
      this.#recheck = setTimeout(() => void this.check(), RECHECK_MS);
    }
  }

  /** Creates the first admin; null when done (and logged in), else why not. */
  async setup(user: string, password: string): Promise<AuthError | null> {
    const result = await this.#auth.setup(user, password);
    if (!result.ok) {
      // Someone else created the admin meanwhile: this screen no longer applies.
      if (result.error.code === 'already_set_up') this.#set({ kind: 'login', why: 'none' });
      return result.error;
    }
    this.#enter(result.session);
    return null;
  }

  async login(user: string, password: string): Promise<AuthError | null> {
    const result = await this.#auth.login(user, password);
    if (!result.ok) return result.error;
    this.#enter(result.session);
    return null;
  }

  async logout(): Promise<void> {
    try {
      await this.#auth.logout();
    } finally {
      this.#auth.relink();
      this.#set({ kind: 'login', why: 'none' });
    }
  }

  /**
   * A request was refused for want of a session. Usually it expired: back to the login
   * screen (the page stays in the address, so the user returns to it). If the station
   * still knows the session, the link was made without it: make it anew.
   */
  lost(): Promise<void> {
    if (this.#gate.kind !== 'in') return Promise.resolve();
    this.#lost ??= this.#checkLost().finally(() => (this.#lost = null));
    return this.#lost;
  }

  /** The password changed (the station ends the caller's sessions): log in again. */
  passwordChanged(): void {
    this.#auth.relink();
    this.#set({ kind: 'login', why: 'passwordChanged' });
  }

  stop(): void {
    this.#clearRecheck();
  }

  async #checkLost(): Promise<void> {
    let state: Awaited<ReturnType<AuthTransport['session']>>;
    try {
      state = await this.#auth.session();
    } catch {
      return; // Unreachable: the connection status says so; the next refusal asks again.
    }
    if (state.ok && this.#relinks < MAX_RELINKS) {
      this.#relinks += 1;
      this.#auth.relink();
      this.#set({ kind: 'in', session: state.session });
    } else {
      this.#set(
        !state.ok && state.setupNeeded ? { kind: 'setup' } : { kind: 'login', why: 'expired' },
      );
    }
  }

  #enter(session: SessionView): void {
    // The link first, so nothing is sent over the old one without the session.
    this.#relinks = 0;
    this.#auth.relink();
    this.#set({ kind: 'in', session });
  }

  #set(gate: Gate): void {
    this.#gate = gate;
    this.#changed(gate);
  }

  #clearRecheck(): void {
    if (this.#recheck !== null) clearTimeout(this.#recheck);
    this.#recheck = null;
  }
}
