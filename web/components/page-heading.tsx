import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The one `<h1>` of a page, with the page's main actions beside it. */
export function PageHeading({ title, actions }: { title: string; actions?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {title}
      </Typography.Title>
      {actions}
    </Flex>
  );
}
