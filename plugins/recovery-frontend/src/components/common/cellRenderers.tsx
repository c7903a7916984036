import type { TableColumn, TableProps } from '@backstage/core-components';
import { MTableCell } from '@material-table/core';
import type { ReactNode } from 'react';

type Render<T> = (row: T) => ReactNode;

/**
 * The columns of a table without functions in them, and the cell that
 * draws each from its column's `render`.
 *
 * Backstage's Table copies its columns on every render, and material-table
 * 3 then prints, in development builds, that the columns "are static, but
 * contain functions" as soon as the rows change (a polled list, a new
 * page). Kept out of the columns, the functions raise no such warning; the
 * cell looks its renderer up by the column's place.
 * Build it once per set of columns (a module constant or a memo), so that
 * the cell component keeps its identity.
 */
export function withCellRenderers<T extends object>(
  columns: TableColumn<T>[],
): { columns: TableColumn<T>[]; components: TableProps<T>['components'] } {
  // By the column's place, which material-table keeps as tableData.id; a
  // column keeps its field, so search and sorting still read the data.
  const renderers = new Map<number, Render<T>>();
  const plain = columns.map((column, index) => {
    const { render, ...rest } = column;
    if (render) {
      renderers.set(index, row => render(row, 'row'));
    }
    return render ? rest : column;
  });

  function Cell(props: { columnDef: { tableData?: { id?: number } } }) {
    const index = props.columnDef.tableData?.id;
    const render = index === undefined ? undefined : renderers.get(index);
    return (
      <MTableCell
        {...props}
        columnDef={render ? { ...props.columnDef, render } : props.columnDef}
      />
    );
  }
  return { columns: plain, components: { Cell } };
}
