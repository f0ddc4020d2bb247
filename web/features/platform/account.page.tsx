import { Card, Descriptions, Space } from 'antd';
import { PageHeading } from '../../components/page-heading.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';
import { ApiTokens } from './api-tokens.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';

/** The user's own account: who the system thinks they are, their password and their API tokens. */
export function AccountPage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  return (
    <>
      <PageHeading title={t('nav.account')} />
      <Space orientation="vertical" size={24} style={{ width: '100%' }}>
        <Card title={<h2 className="card-heading">{t('account.profile')}</h2>}>
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('user.username')}>{user.username}</Descriptions.Item>
            <Descriptions.Item label={t('user.displayName')}>{user.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('user.role')}>{t(`role.${user.role}`)}</Descriptions.Item>
            <Descriptions.Item label={t('user.department')}>
              {user.departmentName ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('user.scope')}>
              {user.scopeRegionName ?? localName(lang, user.city)}
            </Descriptions.Item>
            <Descriptions.Item label={t('home.city')}>{localName(lang, user.city)}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={<h2 className="card-heading">{t('password.title')}</h2>}>
          <ChangePasswordForm />
        </Card>
        <Card title={<h2 className="card-heading">{t('tokens.title')}</h2>}>
          <ApiTokens />
        </Card>
      </Space>
    </>
  );
}
