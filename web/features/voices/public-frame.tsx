import { Flex, Typography } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { AppShell } from '../../components/app-shell.tsx';
import { PageLoading } from '../../components/guards.tsx';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import { useSession } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/**
 * The frame of the citizens' public pages (/submit, /track): a signed-in user
 * sees them inside the usual shell with the menu, anyone else in a light
 * public frame with links to tracking and to the login page.
 */
export function VoicesFrame() {
  const { state } = useSession();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'active' && !state.user.mustChangePassword) return <AppShell />;
  return <PublicFrame />;
}

function PublicFrame() {
  const { t } = useI18n();
  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex
        component="header"
        align="center"
        gap={16}
        wrap
        style={{ padding: '12px 16px', background: '#001529', color: '#fff' }}
      >
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
          {t('app.name')}
        </Typography.Text>
        <nav aria-label={t('nav.label')} style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <Link to="/submit" className="public-nav-link">
            {t('nav.submit')}
          </Link>
          <Link to="/track" className="public-nav-link">
            {t('nav.track')}
          </Link>
          <Link to="/login" className="public-nav-link">
            {t('voices.submit.login')}
          </Link>
        </nav>
        <div style={{ marginLeft: 'auto' }}>
          <LanguageSwitch />
        </div>
      </Flex>
      <main style={{ flex: 1, padding: '16px 12px', width: '100%', maxWidth: 760, margin: '0 auto', boxSizing: 'border-box' }}>
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
    </Flex>
  );
}
