import { Alert, Descriptions, Drawer, Skeleton, Tag } from 'antd';
import type { User, UserDetail } from '../../../contracts/platform.ts';
import { getUser } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** Whether the server sent phone and email (it does to admins in scope, and audits the read). */
export const hasContactDetails = (user: User | UserDetail): user is UserDetail => 'phone' in user || 'email' in user;

/** Status tags shared by the table and the drawer. */
export function UserStatusTags({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <>
      {user.active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
      {user.locked && <Tag color="error">{t('users.locked')}</Tag>}
      {user.mustChangePassword && <Tag color="warning">{t('users.mustChangePassword')}</Tag>}
    </>
  );
}

function UserDetails({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const user = useRemote((signal) => getUser(id, signal), [id]);
  if (user.error) return <ProblemAlert error={user.error} />;
  if (!user.data) return <Skeleton active />;
  const detail = user.data;
  return (
    <>
      {hasContactDetails(detail) && (
        <Alert type="info" showIcon title={t('users.viewAudited')} style={{ marginBottom: 16 }} />
      )}
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('user.username')}>{detail.username}</Descriptions.Item>
        <Descriptions.Item label={t('user.displayName')}>{detail.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('user.role')}>{t(`role.${detail.role}`)}</Descriptions.Item>
        <Descriptions.Item label={t('user.department')}>{detail.departmentName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('user.scope')}>{detail.scopeRegionName ?? t('users.wholeCity')}</Descriptions.Item>
        {hasContactDetails(detail) && (
          <>
            <Descriptions.Item label={t('user.phone')}>{detail.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('user.email')}>{detail.email ?? '—'}</Descriptions.Item>
          </>
        )}
        <Descriptions.Item label={t('common.status')}>
          <UserStatusTags user={detail} />
        </Descriptions.Item>
        <Descriptions.Item label={t('user.lastLogin')}>{formatDateTime(lang, detail.lastLoginAt)}</Descriptions.Item>
      </Descriptions>
    </>
  );
}

/**
 * One user in full. For admins the server adds phone and email and writes
 * the read to the audit log, which the drawer says openly.
 */
export function UserDrawer({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Drawer
      open={user !== undefined}
      title={user?.displayName ?? t('nav.users')}
      onClose={onClose}
      size={480}
      destroyOnHidden
    >
      {user && <UserDetails id={user.id} />}
    </Drawer>
  );
}
