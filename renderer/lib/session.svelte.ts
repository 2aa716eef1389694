// The caller's session for the whole app: which screen to show (session-flow.ts) and what
// the caller's role may do, so pages leave out actions the station would refuse anyway.
import { getContext, setContext } from 'svelte';
import type { AuthTransport } from '../api/auth-transport';
import type { RequestMethod, SessionView } from '../api/contract';
import { canCall } from '../api/permissions';
import { SessionFlow, type Gate } from './session-flow';

const CONTEXT_KEY = Symbol('session');

export class Session {
  gate = $state.raw<Gate>({ kind: 'checking' });
  readonly flow: SessionFlow;

  constructor(auth: AuthTransport) {
    this.flow = new SessionFlow(auth, (gate) => (this.gate = gate));
  }

  get current(): SessionView | null {
    return this.gate.kind === 'in' ? this.gate.session : null;
  }

  /** Whether the caller's role may call `method` (the station checks it again). */
  can(method: RequestMethod): boolean {
    return canCall(this.current, method);
  }
}

export function provideSession(session: Session): void {
  setContext(CONTEXT_KEY, session);
}

export function useSession(): Session {
  const session = getContext<Session | undefined>(CONTEXT_KEY);
  if (!session) throw new Error('useSession() called outside <App>');
  return session;
}
