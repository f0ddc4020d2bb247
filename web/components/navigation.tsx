import {
  ApartmentOutlined,
  AuditOutlined,
  CloudUploadOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Role } from '../../contracts/platform.ts';
import type { MessageKey } from '../i18n/i18n.tsx';

/** Every page of the staff console that appears in the side menu. */
export type PageKey = 'home' | 'regions' | 'departments' | 'users' | 'import' | 'audit' | 'account';

interface PageEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
}

/** Where each page lives and how the menu shows it. */
export const PAGES: Record<PageKey, PageEntry> = {
  home: { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  regions: { path: '/regions', label: 'nav.regions', icon: <EnvironmentOutlined /> },
  departments: { path: '/departments', label: 'nav.departments', icon: <ApartmentOutlined /> },
  users: { path: '/users', label: 'nav.users', icon: <TeamOutlined /> },
  import: { path: '/import', label: 'nav.import', icon: <CloudUploadOutlined /> },
  audit: { path: '/audit', label: 'nav.audit', icon: <AuditOutlined /> },
  account: { path: '/account', label: 'nav.account', icon: <UserOutlined /> },
};

/**
 * The menu of each role, in display order. It is also the route guard: a
 * page not listed for a role shows 403. A new module adds its pages here.
 * The server decides access on its own; this table only keeps the UI honest.
 */
export const MENU: Record<Role, readonly PageKey[]> = {
  admin: ['home', 'regions', 'departments', 'users', 'import', 'audit', 'account'],
  coordinator: ['home', 'departments', 'users', 'account'],
  handler: ['home', 'users', 'account'],
  auditor: ['home', 'audit', 'departments', 'users', 'account'],
  cadre: ['home', 'account'],
  citizen: ['home', 'account'],
};

/** Whether the role's menu includes the page. */
export const mayOpen = (role: Role, page: PageKey): boolean => MENU[role].includes(page);

/** Only admins change the organisation (regions, departments, users); others read it. */
export const mayManageOrganisation = (role: Role): boolean => role === 'admin';
