import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { Link } from 'react-router';
import { PAGES, menuOf } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';
import { CitizenHome } from './citizen-home.tsx';

/** The landing page after login: who you are here, what you may do, and the way there. */
export function HomePage() {
  const user = useCurrentUser();
  return user.role === 'citizen' ? <CitizenHome /> : <StaffHome />;
}

/** Staff see their role, scope and department, and a shortcut to each page of their menu. */
function StaffHome() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const shortcuts = menuOf(user).filter((page) => page !== 'home');
  const scope = user.scopeRegionName ?? localName(lang, user.city);

  return (
    <>
      <PageHeading title={t('home.welcome', { name: user.displayName })} />
      <Card style={{ marginBottom: 24 }}>
        <Typography.Paragraph>{t(`home.role.${user.role}`)}</Typography.Paragraph>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('user.role')}>{t(`role.${user.role}`)}</Descriptions.Item>
          <Descriptions.Item label={t('user.scope')}>{scope}</Descriptions.Item>
          <Descriptions.Item label={t('user.department')}>{user.departmentName ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('home.city')}>{localName(lang, user.city)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('home.shortcuts')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {shortcuts.map((page) => (
          <Col key={page} xs={24} sm={12} lg={8}>
            <Link to={PAGES[page].path} style={{ display: 'block' }}>
              <Card hoverable size="small">
                <Typography.Text strong>
                  {PAGES[page].icon} {t(PAGES[page].label)}
                </Typography.Text>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                  {t(`home.about.${page}`)}
                </Typography.Paragraph>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}
