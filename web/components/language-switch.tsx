import { Select } from 'antd';
import { LANGUAGES, useI18n, type Lang } from '../i18n/i18n.tsx';

/** Switches between 中文 and English; the choice is remembered in localStorage. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Select<Lang>
      aria-label={t('lang.label')}
      value={lang}
      onChange={setLang}
      options={LANGUAGES.map(({ lang: value, label }) => ({ value, label }))}
      popupMatchSelectWidth={false}
      style={{ minWidth: 104 }}
    />
  );
}
