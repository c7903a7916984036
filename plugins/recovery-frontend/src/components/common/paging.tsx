import { EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useCallback, useMemo, useState } from 'react';
import { ActionButton } from './actions';

/**
 * Pages of a list the API hands out with a cursor: the cursors of the
 * pages seen so far, so that "Previous page" goes back without counting.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const next = useCallback(
    (cursor: string) => setCursors(seen => [...seen, cursor]),
    [],
  );
  const previous = useCallback(
    () => setCursors(seen => (seen.length > 1 ? seen.slice(0, -1) : seen)),
    [],
  );
  const reset = useCallback(() => setCursors([undefined]), []);
  return useMemo(
    () => ({
      cursor: cursors[cursors.length - 1],
      page: cursors.length,
      next,
      previous,
      reset,
    }),
    [cursors, next, previous, reset],
  );
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/**
 * "Previous page" and "Next page" of a cursor-paged list, in a navigation
 * landmark named after what is paged; nothing while there is one page.
 */
export function PageButtons(props: {
  pages: CursorPages;
  nextCursor: string | null | undefined;
  /** What is paged, e.g. "jobs": the landmark reads "Pages of jobs". */
  noun: string;
}) {
  const { pages, nextCursor, noun } = props;
  if (pages.page === 1 && !nextCursor) {
    return null;
  }
  return (
    <Box
      component="nav"
      aria-label={`Pages of ${noun}`}
      display="flex"
      justifyContent="flex-end"
      alignItems="center"
      mt={1}
    >
      <Typography variant="body2" color="textSecondary">
        Page {pages.page}
      </Typography>
      <ActionButton
        disabledReason={
          pages.page === 1 ? `This is the first page of ${noun}.` : undefined
        }
        onClick={pages.previous}
      >
        Previous page
      </ActionButton>
      <ActionButton
        disabledReason={nextCursor ? undefined : `There are no more ${noun}.`}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        Next page
      </ActionButton>
    </Box>
  );
}

/**
 * Table options of one page of a cursor-paged list: the page buttons do
 * the paging, and the API the order, so the table does neither.
 */
export const PAGE_TABLE_OPTIONS = {
  paging: false,
  search: false,
  sorting: false,
  padding: 'dense',
} as const;

/**
 * What an empty page of a cursor-paged list says: on the first page, that
 * there is nothing yet and how to add some; on a later one, the way back.
 */
export function PageEmptyState(props: {
  firstPage: boolean;
  /** On the first page, e.g. "No exports yet". */
  title: string;
  /** On a later page, e.g. "No more exports". */
  laterTitle: string;
  /** On the first page: why it is empty, or how to add the first. */
  description: string;
}) {
  const { firstPage, title, laterTitle, description } = props;
  return (
    <EmptyState
      missing="data"
      title={firstPage ? title : laterTitle}
      description={firstPage ? description : 'Go back to the previous page.'}
    />
  );
}
