/** The server-side page a table shows, as antd's pagination wants it. */
export interface PageState {
  limit: number;
  offset: number;
}

export const FIRST_PAGE: PageState = { limit: 20, offset: 0 };

/** antd Table pagination for a server-side page. */
export function paginationOf(page: PageState, total: number | undefined, onChange: (page: PageState) => void) {
  return {
    current: Math.floor(page.offset / page.limit) + 1,
    pageSize: page.limit,
    total: total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, 100],
    onChange: (current: number, pageSize: number) => onChange({ limit: pageSize, offset: (current - 1) * pageSize }),
  };
}
