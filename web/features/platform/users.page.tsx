import { KeyOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Grid, Input, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import type { Role, User } from '../../../contracts/platform.ts';
import { listUsers } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { mayManageOrganisation } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { FIRST_PAGE, paginationOf, type PageState } from '../../components/server-pagination.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useDepartmentOptions, useDistrictOptions } from './use-organisation.ts';
import { UserDrawer, UserStatusTags } from './user-drawer.tsx';
import { CreateUserModal, EditUserModal, ResetPasswordModal, roleOptions } from './user-form.tsx';

/** Which dialog is open over the table, and for whom. */
type Dialog =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'reset'; user: User }
  | { kind: 'details'; user: User };

/**
 * Row buttons say only what they do ("Edit"); the username is their
 * description, so screen readers announce whose row it is while the button's
 * name stays short and the username's cell stays the only one named by it.
 */
const usernameId = (user: User): string => `user-${user.id}-username`;

interface UserFilters {
  q: string;
  role?: Role;
  departmentId?: number;
}

/** Staff and citizen accounts. Handlers see their department; admins manage accounts in their scope. */
export function UsersPage() {
  const { t, lang } = useI18n();
  const me = useCurrentUser();
  const screens = Grid.useBreakpoint();
  const canManage = mayManageOrganisation(me.role);
  const departments = useDepartmentOptions();
  const districts = useDistrictOptions(canManage);
  const [filters, setFilters] = useState<UserFilters>({ q: '' });
  const [page, setPage] = useState<PageState>(FIRST_PAGE);
  const [dialog, setDialog] = useState<Dialog>({ kind: 'none' });
  const users = useRemote(
    (signal) => listUsers({ ...filters, q: filters.q || undefined, ...page }, signal),
    [filters, page],
  );

  const filter = (change: Partial<UserFilters>) => {
    setFilters((current) => ({ ...current, ...change }));
    setPage((current) => ({ ...current, offset: 0 }));
  };
  const close = () => setDialog({ kind: 'none' });

  const columns: ColumnsType<User> = [
    {
      title: t('user.username'),
      dataIndex: 'username',
      render: (username: string, user) => (
        <Button
          type="link"
          id={usernameId(user)}
          onClick={() => setDialog({ kind: 'details', user })}
          style={{ padding: 0, height: 'auto' }}
        >
          {username}
        </Button>
      ),
    },
    { title: t('user.displayName'), dataIndex: 'displayName' },
    { title: t('user.role'), dataIndex: 'role', render: (role: Role) => t(`role.${role}`) },
    { title: t('user.department'), dataIndex: 'departmentName', render: (name: string | null) => name ?? '—' },
    {
      title: t('user.scope'),
      dataIndex: 'scopeRegionName',
      render: (name: string | null) => name ?? t('users.wholeCity'),
    },
    { title: t('common.status'), key: 'status', render: (_, user) => <UserStatusTags user={user} /> },
    { title: t('user.lastLogin'), dataIndex: 'lastLoginAt', render: (at: string | null) => formatDateTime(lang, at) },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      // Pinned beside the scrolling columns on wide screens; on phones it would hide them.
      fixed: screens.md ? 'right' : undefined,
      render: (_, user) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<EditOutlined />}
            aria-describedby={usernameId(user)}
            onClick={() => setDialog({ kind: 'edit', user })}
          >
            {t('common.edit')}
          </Button>
          {user.id !== me.id && (
            <Button
              size="small"
              icon={<KeyOutlined />}
              aria-describedby={usernameId(user)}
              onClick={() => setDialog({ kind: 'reset', user })}
            >
              {t('users.resetPassword')}
            </Button>
          )}
        </Space>
      ),
    });
  }

  return (
    <>
      <PageHeading
        title={t('nav.users')}
        actions={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })}>
              {t('users.create')}
            </Button>
          )
        }
      />
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          allowClear
          enterButton={t('common.search')}
          onSearch={(value) => filter({ q: value.trim() })}
          style={{ width: 320, maxWidth: '100%' }}
        />
        <Select<Role>
          aria-label={t('users.filterRole')}
          placeholder={t('users.allRoles')}
          allowClear
          options={roleOptions(t)}
          value={filters.role}
          onChange={(role) => filter({ role })}
          style={{ width: 160 }}
        />
        <Select<number>
          aria-label={t('users.filterDepartment')}
          placeholder={t('users.allDepartments')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          options={departments.options}
          loading={departments.loading}
          value={filters.departmentId}
          onChange={(departmentId) => filter({ departmentId })}
          style={{ width: 220 }}
        />
      </Flex>
      <ProblemAlert error={users.error} style={{ marginBottom: 16 }} />
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={users.data?.items ?? []}
        loading={users.loading}
        pagination={paginationOf(page, users.data?.total, setPage)}
        scroll={{ x: 'max-content' }}
      />
      <CreateUserModal
        open={dialog.kind === 'create'}
        departments={departments.options}
        districts={districts.options}
        onClose={close}
        onSaved={users.reload}
      />
      <EditUserModal
        open={dialog.kind === 'edit'}
        user={dialog.kind === 'edit' ? dialog.user : undefined}
        departments={departments.options}
        districts={districts.options}
        onClose={close}
        onSaved={users.reload}
      />
      <ResetPasswordModal user={dialog.kind === 'reset' ? dialog.user : undefined} onClose={close} />
      <UserDrawer user={dialog.kind === 'details' ? dialog.user : undefined} onClose={close} />
    </>
  );
}
