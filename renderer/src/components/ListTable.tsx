import { Paper, Table } from '@mantine/core';
import type { ReactNode } from 'react';

type Props = {
  /** Header cells; an empty string leaves a column (row actions) untitled. */
  columns: string[];
  /** Below this width the table scrolls sideways instead of squeezing (phones). */
  minWidth: number;
  highlightOnHover?: boolean;
  testId?: string;
  /** The `Table.Tr` rows. */
  children: ReactNode;
};

/** The bordered, sideways-scrolling table every settings list page shows its rows in. */
export function ListTable({ columns, minWidth, highlightOnHover, testId, children }: Props) {
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table verticalSpacing="sm" highlightOnHover={highlightOnHover} data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((title, i) => (
                <Table.Th key={i}>{title}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
