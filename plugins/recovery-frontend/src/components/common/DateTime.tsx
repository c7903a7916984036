import { formatDateTime } from './format';

// Inline, so that it needs no style sheet wherever a time is shown.
const LINE = { whiteSpace: 'nowrap' } as const;

/** A date and a time that wrap between them, not inside either. */
export function DateTime(props: { iso: string | null | undefined }) {
  const [date, time] = formatDateTime(props.iso).split(' ');
  return (
    <>
      <span style={LINE}>{date}</span>
      {time && (
        <>
          {' '}
          <span style={LINE}>{time}</span>
        </>
      )}
    </>
  );
}
