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
import type { Me, Role } from '../../contracts/platform.ts';
import type { MessageKey } from '../i18n/i18n.tsx';

/** Every page of the staff console that appears in the side menu. */
export type PageKey = 'home' | 'regions' | 'departments' | 'users' | 'import' | 'audit' | 'account';

interface PageEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Only for users whose scope is the whole city (the server refuses district-scoped users). */
  cityWide?: boolean;
}

/** Where each page lives and how the menu shows it. */
export const PAGES: Record<PageKey, PageEntry> = {
  home: { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  regions: { path: '/regions', label: 'nav.regions', icon: <EnvironmentOutlined /> },
  departments: { path: '/departments', label: 'nav.departments', icon: <ApartmentOutlined /> },
  users: { path: '/users', label: 'nav.users', icon: <TeamOutlined /> },
  import: { path: '/import', label: 'nav.import', icon: <CloudUploadOutlined />, cityWide: true },
  audit: { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, cityWide: true },
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

/** A user without a scope, or scoped to the city itself, acts city-wide. */
const isCityWide = (user: Me): boolean => user.scopeRegionId === null || user.scopeRegionId === user.city.id;

/** Whether the user's menu includes the page. */
export const mayOpen = (user: Me, page: PageKey): boolean =>
  MENU[user.role].includes(page) && (!PAGES[page].cityWide || isCityWide(user));

/** The user's menu: the role's pages, less those that need a city-wide scope the user lacks. */
export const menuOf = (user: Me): PageKey[] => MENU[user.role].filter((page) => mayOpen(user, page));

/** Only admins change the organisation (regions, departments, users); others read it. */
export const mayManageOrganisation = (role: Role): boolean => role === 'admin';
