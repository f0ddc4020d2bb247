import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me, SessionResponse } from '../../contracts/platform.ts';
import { ApiError, onSessionLost, setCsrfToken } from '../api/client.ts';
import { getSession, logOut } from '../api/platform.ts';

type SessionState = { status: 'loading' } | { status: 'anonymous'; expired: boolean } | { status: 'active'; user: Me };

interface Session {
  state: SessionState;
  /** Adopts the answer of a successful login. */
  signIn: (session: SessionResponse) => void;
  signOut: () => Promise<void>;
  /** Re-reads the session, e.g. after a password change cleared `mustChangePassword`. */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Knows who is logged in. The cookie is httpOnly, so the only way to learn
 * the user (and the CSRF token) is to ask `GET /api/v1/session` on load.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const adopt = useCallback((session: SessionResponse) => {
    setCsrfToken(session.csrfToken);
    setState({ status: 'active', user: session.user });
  }, []);

  const forget = useCallback((expired: boolean) => {
    setCsrfToken(null);
    setState({ status: 'anonymous', expired });
  }, []);

  const refresh = useCallback(async () => {
    try {
      adopt(await getSession());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) forget(false);
      else throw error;
    }
  }, [adopt, forget]);

  useEffect(() => {
    onSessionLost(() => forget(true));
    refresh().catch(() => forget(false));
  }, [refresh, forget]);

  const signOut = useCallback(async () => {
    try {
      await logOut();
    } finally {
      forget(false);
    }
  }, [forget]);

  const value = useMemo<Session>(() => ({ state, signIn: adopt, signOut, refresh }), [state, adopt, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session and its actions. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The logged-in user; only for screens behind `<RequireSession>`. */
export function useCurrentUser(): Me {
  const { state } = useSession();
  if (state.status !== 'active') throw new Error('useCurrentUser needs an active session');
  return state.user;
}
