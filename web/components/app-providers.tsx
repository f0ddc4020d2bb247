import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * Colours chosen for WCAG AA contrast: antd's default blue, red and grey
 * secondary text are just below 4.5:1 on white.
 */
const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d4ed8',
    // antd lightens the primary colour on hover and press; white text on that fails AA, so go darker instead.
    colorPrimaryHover: '#1e40af',
    colorPrimaryActive: '#1e3a8a',
    colorLink: '#1d4ed8',
    colorLinkHover: '#1e40af',
    colorLinkActive: '#1e3a8a',
    colorError: '#c62828',
    colorSuccess: '#2e7d32',
    colorWarning: '#b45309',
    // antd derives pale backgrounds from these seeds; for dark seeds they come out grey, too dark for tag text.
    colorSuccessBg: '#edf7ed',
    colorSuccessBorder: '#a5d6a7',
    colorWarningBg: '#fff7e6',
    colorWarningBorder: '#ffd591',
    colorErrorBg: '#fdecea',
    colorErrorBorder: '#f5b4ae',
    colorInfo: '#1d4ed8',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    // Select placeholders are real text (not ::placeholder), so they must pass contrast too.
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
  },
};

/** antd in the reader's language and Minxin's colours; `App` gives screens message and modal hooks. */
export function AppProviders({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={theme}
      // Without this antd shows "登录" as "登 录", which also changes the button's accessible name.
      button={{ autoInsertSpace: false }}
      // The required mark is drawn by styles.css outside the <label>, so it is not part of any field's name.
      form={{ requiredMark: false, colon: false }}
      // Virtual lists render options off-screen copies for screen readers only; real ones can be found and clicked.
      virtual={false}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
