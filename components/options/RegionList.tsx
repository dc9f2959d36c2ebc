import { PARTITIONS, PARTITION_NAMES } from '@/utils/aws-endpoints';

export const REGION_LIST_ID = 'aws-regions';

/** Suggestions for every region input on the page (they still accept any region name). */
export function RegionList() {
  return (
    <datalist id={REGION_LIST_ID}>
      {PARTITION_NAMES.flatMap((p) => PARTITIONS[p].regions).map((r) => (
        <option key={r} value={r} />
      ))}
    </datalist>
  );
}
