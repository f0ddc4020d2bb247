import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n/i18n.tsx';

/** 403 and 404 inside the shell: say what happened and offer the way home. */
export function StatusPage({ status }: { status: 403 | 404 }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const title = status === 403 ? t('status.forbidden.title') : t('status.notFound.title');
  return (
    <Result
      status={status}
      title={<h1 style={{ fontSize: 24, margin: 0 }}>{title}</h1>}
      subTitle={status === 403 ? t('status.forbidden.detail') : t('status.notFound.detail')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('status.backHome')}
        </Button>
      }
    />
  );
}
