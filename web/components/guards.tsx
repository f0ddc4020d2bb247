import { Flex, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useI18n } from '../i18n/i18n.tsx';
import { mayOpen, mayOpenCase, type PageKey } from './navigation.tsx';
import { useCurrentUser, useSession } from './session.tsx';
import { StatusPage } from './status-page.tsx';

/** Where a user who must replace an initial or reset password is sent. */
export const CHANGE_PASSWORD_PATH = '/account/password';

/** A centred spinner while the session or a page's code loads. */
export function PageLoading() {
  const { t } = useI18n();
  return (
    <Flex justify="center" align="center" style={{ minHeight: 240 }}>
      <Spin size="large" description={t('common.loading')} />
    </Flex>
  );
}

/**
 * Shows its children only to a logged-in user; others go to the login page,
 * which brings them back afterwards. A user with a temporary password is held
 * on the change-password page.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'anonymous') {
    return (
      <Navigate to="/login" replace state={{ from: location.pathname + location.search, expired: state.expired }} />
    );
  }
  if (state.user.mustChangePassword && location.pathname !== CHANGE_PASSWORD_PATH) {
    return <Navigate to={CHANGE_PASSWORD_PATH} replace />;
  }
  return children;
}

/** Shows a page only to users whose menu lists it; others see 403. */
export function RequirePage({ page, children }: { page: PageKey; children: ReactNode }) {
  const user = useCurrentUser();
  return mayOpen(user, page) ? children : <StatusPage status={403} />;
}

/** A case page: for staff with the inbox and for citizens (their own messages; the server checks which). */
export function RequireCase({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  return mayOpenCase(user) ? children : <StatusPage status={403} />;
}
