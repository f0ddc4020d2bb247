import { Card, Flex } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from './language-switch.tsx';

/**
 * The frame of the pages one sees before signing in (login, registration):
 * the language switch above one centred card that fills a phone's width.
 */
export function PublicPage({ children }: { children: ReactNode }) {
  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex component="header" justify="flex-end" style={{ padding: 16 }}>
        <LanguageSwitch />
      </Flex>
      <Flex component="main" justify="center" align="flex-start" style={{ flex: 1, padding: '4vh 16px' }}>
        <Card style={{ width: '100%', maxWidth: 400 }}>{children}</Card>
      </Flex>
    </Flex>
  );
}
