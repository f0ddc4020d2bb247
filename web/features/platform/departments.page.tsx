import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Grid, Input, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import type { Department } from '../../../contracts/platform.ts';
import { listDepartments } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { mayManageOrganisation } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { FIRST_PAGE, paginationOf, type PageState } from '../../components/server-pagination.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';
import { DepartmentFormModal } from './department-form.tsx';
import { useDistrictOptions } from './use-organisation.ts';

/** The Edit button is described by the department's name (see users.page.tsx for why not named by it). */
const nameId = (department: Department): string => `department-${department.id}-name`;

/** The department form: open or not, for a new department (undefined) or an existing one. */
interface Editing {
  open: boolean;
  department?: Department;
}

/** The departments that handle cases; admins create and edit them, other staff look them up. */
export function DepartmentsPage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const screens = Grid.useBreakpoint();
  const canManage = mayManageOrganisation(user.role);
  const districts = useDistrictOptions();
  const [q, setQ] = useState('');
  const [districtId, setDistrictId] = useState<number>();
  const [page, setPage] = useState<PageState>(FIRST_PAGE);
  const [editing, setEditing] = useState<Editing>({ open: false });
  const departments = useRemote(
    (signal) => listDepartments({ q: q || undefined, districtId, ...page }, signal),
    [q, districtId, page],
  );

  const columns: ColumnsType<Department> = [
    { title: t('departments.code'), dataIndex: 'code' },
    {
      title: t('departments.name'),
      key: 'name',
      render: (_, department) => <span id={nameId(department)}>{localName(lang, department)}</span>,
    },
    { title: t('departments.district'), dataIndex: 'districtName', render: (name: string | null) => name ?? '—' },
    {
      title: t('departments.areas'),
      dataIndex: 'areas',
      render: (areas: string[]) => (
        <Flex wrap gap={4}>
          {areas.map((area) => (
            <Tag key={area} style={{ marginInlineEnd: 0 }}>
              {area}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('departments.contactPhone'), dataIndex: 'contactPhone', render: (phone: string | null) => phone ?? '—' },
    { title: t('departments.staffCount'), dataIndex: 'staffCount', align: 'right' },
    {
      title: t('common.status'),
      dataIndex: 'active',
      render: (active: boolean) =>
        active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      // Pinned beside the scrolling columns on wide screens; on phones it would hide them.
      fixed: screens.md ? 'right' : undefined,
      render: (_, department) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          aria-describedby={nameId(department)}
          onClick={() => setEditing({ open: true, department })}
        >
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      <PageHeading
        title={t('nav.departments')}
        actions={
          canManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ open: true, department: undefined })}
            >
              {t('departments.create')}
            </Button>
          )
        }
      />
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('departments.search')}
          placeholder={t('departments.searchPlaceholder')}
          allowClear
          enterButton={t('common.search')}
          onSearch={(value) => {
            setQ(value.trim());
            setPage((current) => ({ ...current, offset: 0 }));
          }}
          style={{ width: 320, maxWidth: '100%' }}
        />
        <Select
          aria-label={t('departments.filterDistrict')}
          placeholder={t('departments.allDistricts')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          options={districts.options}
          loading={districts.loading}
          value={districtId}
          onChange={(value: number | undefined) => {
            setDistrictId(value);
            setPage((current) => ({ ...current, offset: 0 }));
          }}
          style={{ width: 200 }}
        />
      </Flex>
      <ProblemAlert error={departments.error} style={{ marginBottom: 16 }} />
      <Table<Department>
        rowKey="id"
        columns={columns}
        dataSource={departments.data?.items ?? []}
        loading={departments.loading}
        pagination={paginationOf(page, departments.data?.total, setPage)}
        scroll={{ x: 'max-content' }}
      />
      <DepartmentFormModal
        open={editing.open}
        department={editing.department}
        districts={districts.options}
        onClose={() => setEditing((current) => ({ ...current, open: false }))}
        onSaved={departments.reload}
      />
    </>
  );
}
