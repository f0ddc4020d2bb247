import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { AppProviders } from './components/app-providers.tsx';
import { SessionProvider } from './components/session.tsx';
import { I18nProvider } from './i18n/i18n.tsx';
import { router } from './routes.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks <div id="root">');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <AppProviders>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </AppProviders>
    </I18nProvider>
  </StrictMode>,
);
