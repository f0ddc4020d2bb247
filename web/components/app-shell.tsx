import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { App, Button, Flex, Grid, Layout, Menu, Tag, Typography } from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { localName, useI18n } from '../i18n/i18n.tsx';
import { PageLoading } from './guards.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { NotificationBell } from './notification-bell.tsx';
import { PAGES, menuOf, type PageKey } from './navigation.tsx';
import { useCurrentUser, useSession } from './session.tsx';

const HEADER_TEXT = { color: '#fff' };

/** The page whose path is the longest prefix of the location (so /users/12 lights up "Users"). */
function activePage(pathname: string, pages: readonly PageKey[]): PageKey | undefined {
  return pages
    .filter((page) => {
      const path = PAGES[page].path;
      return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
    })
    .sort((a, b) => PAGES[b].path.length - PAGES[a].path.length)[0];
}

/** The role's side menu; on phones it folds away and the header's menu button opens it. */
function SideMenu({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useI18n();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const pages = menuOf(user);
  const active = activePage(pathname, pages);
  return (
    <nav aria-label={t('nav.label')}>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={active ? [active] : []}
        items={pages.map((page) => ({ key: page, icon: PAGES[page].icon, label: t(PAGES[page].label) }))}
        onClick={({ key }) => {
          navigate(PAGES[key as PageKey].path);
          onNavigate();
        }}
      />
    </nav>
  );
}

/** Who is logged in, in which city, with the notification bell, the language switch and logout. */
function HeaderBar({
  onToggleMenu,
  menuOpen,
  narrow,
}: {
  onToggleMenu: () => void;
  menuOpen: boolean;
  narrow: boolean;
}) {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const { signOut } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();

  const logOut = async () => {
    try {
      await signOut();
    } catch {
      message.warning(t('shell.logoutFailed'));
    }
    navigate('/login', { replace: true });
  };

  return (
    <Layout.Header role="banner" style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '0 16px' }}>
      {narrow && (
        <Button
          type="text"
          icon={<MenuOutlined />}
          aria-label={t('shell.menu')}
          aria-expanded={menuOpen}
          onClick={onToggleMenu}
          style={HEADER_TEXT}
        />
      )}
      <Typography.Text strong style={{ ...HEADER_TEXT, fontSize: 18, whiteSpace: 'nowrap' }}>
        {t('app.name')}
      </Typography.Text>
      {!narrow && (
        <Typography.Text style={{ ...HEADER_TEXT, opacity: 0.9 }} data-testid="city-name">
          {localName(lang, user.city)}
        </Typography.Text>
      )}
      <Flex align="center" gap={12} style={{ marginLeft: 'auto', minWidth: 0 }}>
        <NotificationBell style={HEADER_TEXT} />
        <LanguageSwitch />
        <Flex align="center" gap={6} style={{ minWidth: 0 }}>
          <Typography.Text style={HEADER_TEXT} ellipsis data-testid="current-user">
            {user.displayName}
          </Typography.Text>
          {!narrow && <Tag style={{ marginInlineEnd: 0 }}>{t(`role.${user.role}`)}</Tag>}
        </Flex>
        <Button
          type="text"
          icon={<LogoutOutlined />}
          onClick={logOut}
          aria-label={narrow ? t('shell.logout') : undefined}
          style={HEADER_TEXT}
        >
          {narrow ? null : t('shell.logout')}
        </Button>
      </Flex>
    </Layout.Header>
  );
}

/**
 * The staff console frame: header, role-aware side menu and the `<main>`
 * landmark in which pages render. Below the `lg` breakpoint the menu
 * collapses to nothing and, when opened, lies over the page until a choice,
 * a tap beside it or Escape closes it.
 */
export function AppShell() {
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === false;
  const [collapsed, setCollapsed] = useState(false);
  const hidden = narrow && collapsed;
  const overlaid = narrow && !collapsed;

  useEffect(() => {
    if (!overlaid) return;
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && setCollapsed(true);
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [overlaid]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={0}
        collapsed={hidden}
        onBreakpoint={(broken) => setCollapsed(broken)}
        trigger={null}
        width={208}
        // On phones the menu opens below the header, so the header's menu button can close it again.
        style={narrow ? { position: 'fixed', top: 64, bottom: 0, zIndex: 20, overflow: 'auto' } : undefined}
      >
        {!hidden && <SideMenu onNavigate={() => narrow && setCollapsed(true)} />}
      </Layout.Sider>
      {overlaid && <div className="shell-mask" aria-hidden="true" onClick={() => setCollapsed(true)} />}
      <Layout>
        <HeaderBar narrow={narrow} menuOpen={!hidden} onToggleMenu={() => setCollapsed((value) => !value)} />
        <Layout.Content style={{ padding: narrow ? 12 : 24 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
