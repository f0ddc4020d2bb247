import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AppShell } from './components/app-shell.tsx';
import { PageLoading, RequirePage, RequireSession } from './components/guards.tsx';
import type { PageKey } from './components/navigation.tsx';
import { StatusPage } from './components/status-page.tsx';

/** Loads a page's code only when it is first visited, keeping the first load small. */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const LoginPage = lazyPage(() => import('./features/platform/login.page.tsx'), 'LoginPage');
const RegisterPage = lazyPage(() => import('./features/platform/register.page.tsx'), 'RegisterPage');
const HomePage = lazyPage(() => import('./features/platform/home.page.tsx'), 'HomePage');
const AccountPage = lazyPage(() => import('./features/platform/account.page.tsx'), 'AccountPage');
const ChangePasswordPage = lazyPage(() => import('./features/platform/change-password.page.tsx'), 'ChangePasswordPage');
const RegionsPage = lazyPage(() => import('./features/platform/regions.page.tsx'), 'RegionsPage');
const DepartmentsPage = lazyPage(() => import('./features/platform/departments.page.tsx'), 'DepartmentsPage');
const UsersPage = lazyPage(() => import('./features/platform/users.page.tsx'), 'UsersPage');
const ImportPage = lazyPage(() => import('./features/platform/import.page.tsx'), 'ImportPage');
const AuditPage = lazyPage(() => import('./features/platform/audit.page.tsx'), 'AuditPage');

/** A menu page: only for the roles whose menu lists it (see navigation.tsx). */
const guarded = (page: PageKey, element: ReactNode) => <RequirePage page={page}>{element}</RequirePage>;

/** A page shown without the shell, to people who are not signed in yet. */
const publicPage = (element: ReactNode) => <Suspense fallback={<PageLoading />}>{element}</Suspense>;

/** The app's URLs. Everything but /login and /register sits in the shell and needs a session. */
export const router = createBrowserRouter([
  { path: '/login', element: publicPage(<LoginPage />) },
  { path: '/register', element: publicPage(<RegisterPage />) },
  {
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'account', element: guarded('account', <AccountPage />) },
      { path: 'account/password', element: <ChangePasswordPage /> },
      { path: 'regions', element: guarded('regions', <RegionsPage />) },
      { path: 'departments', element: guarded('departments', <DepartmentsPage />) },
      { path: 'users', element: guarded('users', <UsersPage />) },
      { path: 'import', element: guarded('import', <ImportPage />) },
      { path: 'audit', element: guarded('audit', <AuditPage />) },
      { path: '*', element: <StatusPage status={404} /> },
    ],
  },
]);
