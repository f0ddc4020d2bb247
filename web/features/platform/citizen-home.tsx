import { CommentOutlined, FieldNumberOutlined, StarOutlined } from '@ant-design/icons';
import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PAGES } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n, type MessageKey } from '../../i18n/i18n.tsx';

/** What the citizens' loop will offer, in the order a citizen meets it. Not links: none of it is open yet. */
const COMING: readonly { icon: ReactNode; title: MessageKey; detail: MessageKey }[] = [
  { icon: <CommentOutlined />, title: 'home.citizen.submit.title', detail: 'home.citizen.submit.detail' },
  { icon: <FieldNumberOutlined />, title: 'home.citizen.track.title', detail: 'home.citizen.track.detail' },
  { icon: <StarOutlined />, title: 'home.citizen.rate.title', detail: 'home.citizen.rate.detail' },
];

/**
 * A citizen's home page: their account, and what Minxin will let them do,
 * said plainly as not open yet. When the voices module lands, its entry
 * points replace the list.
 */
export function CitizenHome() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  return (
    <>
      <PageHeading title={t('home.welcome', { name: user.displayName })} />
      <Flex vertical gap={24} style={{ maxWidth: 720 }}>
        <Card title={<h2 className="card-heading">{t('nav.account')}</h2>}>
          <Typography.Paragraph>{t('home.role.citizen')}</Typography.Paragraph>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('user.username')}>{user.username}</Descriptions.Item>
            <Descriptions.Item label={t('register.displayName')}>{user.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('home.city')}>{localName(lang, user.city)}</Descriptions.Item>
          </Descriptions>
          <Link to={PAGES.account.path} style={{ display: 'inline-block', marginTop: 8 }}>
            {t('home.citizen.accountLink')}
          </Link>
        </Card>
        <Card
          title={<h2 className="card-heading">{t('home.citizen.comingTitle')}</h2>}
          extra={<Tag style={{ marginInlineEnd: 0 }}>{t('home.citizen.comingSoon')}</Tag>}
        >
          <ol className="citizen-coming">
            {COMING.map(({ icon, title, detail }) => (
              <li key={title}>
                <span className="citizen-coming-icon" aria-hidden="true">
                  {icon}
                </span>
                <div>
                  <Typography.Text strong>{t(title)}</Typography.Text>
                  <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0' }}>
                    {t(detail)}
                  </Typography.Paragraph>
                </div>
              </li>
            ))}
          </ol>
          <Typography.Paragraph style={{ margin: 0 }}>{t('home.citizen.notYet')}</Typography.Paragraph>
        </Card>
      </Flex>
    </>
  );
}
