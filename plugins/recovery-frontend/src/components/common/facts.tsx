import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

/** Labels as written, not start-cased: "SHA-256" stays "SHA-256". */
const AS_WRITTEN = { titleFormat: (key: string) => key };

/** A value of a metadata table: a list of lines becomes a nested list. */
export type Fact = ReactNode | string[];

/** A metadata table of label → value, in the order given. */
export function Facts(props: { facts: Record<string, Fact> }) {
  return (
    <StructuredMetadataTable metadata={props.facts} options={AS_WRITTEN} />
  );
}

/** A card of facts, or of the sentence that says why there are none. */
export function FactsCard(props: {
  title: string;
  facts: Record<string, Fact> | undefined;
  /** Shown instead of the facts when there are none. */
  none?: string;
}) {
  const { title, facts, none } = props;
  return (
    <InfoCard title={title} variant="gridItem">
      {facts ? (
        <Facts facts={facts} />
      ) : (
        <Typography variant="body2">{none}</Typography>
      )}
    </InfoCard>
  );
}
