import { CommentOutlined, FieldNumberOutlined, ProfileOutlined } from '@ant-design/icons';
import { Card, Descriptions, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PAGES, type PageKey } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n, type MessageKey } from '../../i18n/i18n.tsx';

/** The citizens' loop, in the order a citizen meets it: submit, follow (and rate), see all their messages. */
const VOICES: readonly { page: PageKey; icon: ReactNode; title: MessageKey; detail: MessageKey }[] = [
  { page: 'submit', icon: <CommentOutlined />, title: 'home.citizen.submit.title', detail: 'home.citizen.submit.detail' },
  { page: 'track', icon: <FieldNumberOutlined />, title: 'home.citizen.track.title', detail: 'home.citizen.track.detail' },
  { page: 'myMessages', icon: <ProfileOutlined />, title: 'nav.myMessages', detail: 'home.citizen.rate.detail' },
];

/** A citizen's home page: their account, and the ways into the citizens' loop. */
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
        <Card title={<h2 className="card-heading">{t('home.citizen.voicesTitle')}</h2>}>
          <ol className="citizen-coming">
            {VOICES.map(({ page, icon, title, detail }) => (
              <li key={page}>
                <span className="citizen-coming-icon" aria-hidden="true">
                  {icon}
                </span>
                <div>
                  <Typography.Text strong>
                    <Link to={PAGES[page].path}>{t(title)}</Link>
                  </Typography.Text>
                  <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0' }}>
                    {t(detail)}
                  </Typography.Paragraph>
                </div>
              </li>
            ))}
          </ol>
        </Card>
      </Flex>
    </>
  );
}
