import { Alert, Card } from 'antd';
import { useNavigate } from 'react-router';
import { PageHeading } from '../../components/page-heading.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';

/** Where a user with an initial or reset password must choose their own before doing anything else. */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const navigate = useNavigate();
  return (
    <>
      <PageHeading title={t('password.title')} />
      {user.mustChangePassword && (
        <Alert type="warning" showIcon title={t('password.mustChange')} style={{ marginBottom: 16 }} />
      )}
      <Card>
        <ChangePasswordForm onChanged={() => navigate('/', { replace: true })} />
      </Card>
    </>
  );
}
