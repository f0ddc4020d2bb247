import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Flex, Grid, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  type NotificationPageView,
  type NotificationView,
} from '../api/notifications.ts';
import { useVisiblePolling } from '../api/use-polling.ts';
import { useI18n, type Lang } from '../i18n/i18n.tsx';
import { formatDateTime } from './format.ts';
import { mayOpen, mayOpenCase } from './navigation.tsx';
import { ProblemAlert } from './problem-alert.tsx';
import { useCurrentUser } from './session.tsx';

/** How many of the newest notifications the drawer lists. */
const SHOWN = 30;

/** A notification's title or body in the reader's language. */
export const localText = (lang: Lang, text: { zh: string; en: string }): string => (lang === 'en' ? text.en : text.zh);

/** The caller's notifications, fetched on mount and polled while the tab is visible. */
function useOwnNotifications() {
  const [page, setPage] = useState<NotificationPageView>();
  const [error, setError] = useState<ApiError>();
  const inFlight = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    try {
      const next = await listNotifications({ limit: SHOWN }, controller.signal);
      if (controller.signal.aborted) return;
      setPage(next);
      setError(undefined);
    } catch (caught) {
      if (controller.signal.aborted) return;
      if (caught instanceof ApiError) setError(caught);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return () => inFlight.current?.abort();
  }, [refresh]);
  useVisiblePolling(() => void refresh());

  /** Shows a notification as read at once (the server is told separately). */
  const markLocally = useCallback((id: number) => {
    const now = new Date().toISOString();
    setPage((current) => {
      if (!current) return current;
      const target = current.items.find((item) => item.id === id);
      if (!target || target.readAt) return current;
      return {
        ...current,
        unread: Math.max(0, current.unread - 1),
        items: current.items.map((item) => (item.id === id ? { ...item, readAt: now } : item)),
      };
    });
  }, []);

  const markAllLocally = useCallback(() => {
    const now = new Date().toISOString();
    setPage((current) =>
      current && { ...current, unread: 0, items: current.items.map((item) => ({ ...item, readAt: item.readAt ?? now })) },
    );
  }, []);

  return { page, error, setError, refresh, markLocally, markAllLocally };
}

/**
 * The header's bell: the unread count (in the button's accessible name too) and a drawer with the
 * newest notifications. Opening one marks it read and goes to its case; "mark all read" clears the count.
 */
export function NotificationBell({ style }: { style?: CSSProperties }) {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const screens = Grid.useBreakpoint();
  const { page, error, setError, refresh, markLocally, markAllLocally } = useOwnNotifications();
  const [open, setOpen] = useState(false);
  const [marking, setMarking] = useState(false);
  const unread = page?.unread ?? 0;
  const linkable = mayOpenCase(user);
  // Where a notification leads: a pairing reminder to the cadre's 我的帮扶户, an alert to hot issues, anything else to its case.
  const linkTo = (item: NotificationView): string | undefined => {
    if (item.kind === 'pairing_reminder') return mayOpen(user, 'myHouseholds') ? '/my-households' : undefined;
    if (!linkable) return undefined;
    if (item.caseId !== null) return `/cases/${item.caseId}`;
    return item.hotIssueAlertId !== null ? '/hot-issues' : undefined;
  };

  const show = () => {
    setOpen(true);
    void refresh();
  };

  const openOne = (item: NotificationView) => {
    setOpen(false);
    if (item.readAt) return;
    markLocally(item.id);
    markNotificationRead(item.id).catch((caught: unknown) => {
      if (caught instanceof ApiError) setError(caught);
      void refresh();
    });
  };

  const markAll = async () => {
    setMarking(true);
    try {
      await markAllNotificationsRead();
      markAllLocally();
      setError(undefined);
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      setError(caught);
    } finally {
      setMarking(false);
    }
    void refresh();
  };

  return (
    <>
      <Button
        type="text"
        onClick={show}
        aria-label={t('notifications.bell', { count: unread })}
        aria-haspopup="dialog"
        aria-expanded={open}
        data-testid="notification-bell"
        data-unread={unread}
        style={style}
        icon={
          <Badge count={unread} size="small" overflowCount={99} offset={[4, -2]} color="#c62828">
            <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
          </Badge>
        }
      />
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('notifications.title')}
        placement="right"
        size={screens.sm === false ? '100%' : 420}
        extra={
          <Button onClick={markAll} loading={marking} disabled={unread === 0}>
            {t('notifications.markAll')}
          </Button>
        }
      >
        <ProblemAlert error={error} style={{ marginBottom: 16 }} />
        <Typography.Paragraph type="secondary" data-testid="notification-summary">
          {t('notifications.summary', { total: page?.total ?? 0, unread })}
        </Typography.Paragraph>
        {page && page.items.length === 0 ? (
          <Typography.Text type="secondary">{t('notifications.empty')}</Typography.Text>
        ) : (
          <NotificationList
            items={page?.items ?? []}
            lang={lang}
            linkTo={linkTo}
            onOpen={openOne}
          />
        )}
      </Drawer>
    </>
  );
}

/**
 * A list of notifications: title (a link where `linkTo` gives one), unread mark, body and time.
 * Shared by the header's drawer and the public tracking page.
 */
export function NotificationList({
  items,
  lang,
  linkTo,
  onOpen,
  showUnread = true,
}: {
  items: readonly NotificationView[];
  lang: Lang;
  linkTo?: (item: NotificationView) => string | undefined;
  onOpen?: (item: NotificationView) => void;
  showUnread?: boolean;
}) {
  const { t } = useI18n();
  return (
    <ul className="notification-list">
      {items.map((item) => {
        const title = localText(lang, item.title);
        const unread = showUnread && !item.readAt;
        const to = linkTo?.(item);
        return (
          <li key={item.id} className="notification-item" data-read={item.readAt ? 'true' : 'false'}>
            <Flex gap={8} align="baseline" wrap>
              {unread && <Tag style={{ marginInlineEnd: 0 }}>{t('notifications.unread')}</Tag>}
              {to ? (
                <Link to={to} onClick={() => onOpen?.(item)} style={{ fontWeight: unread ? 600 : 400, overflowWrap: 'anywhere' }}>
                  {title}
                </Link>
              ) : (
                <Typography.Text strong={unread} style={{ overflowWrap: 'anywhere' }}>
                  {title}
                </Typography.Text>
              )}
            </Flex>
            <Typography.Paragraph style={{ margin: '4px 0', overflowWrap: 'anywhere' }}>
              {localText(lang, item.body)}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              <time dateTime={item.createdAt}>{formatDateTime(lang, item.createdAt)}</time>
            </Typography.Text>
          </li>
        );
      })}
    </ul>
  );
}
