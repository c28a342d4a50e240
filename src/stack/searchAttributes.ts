import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { SearchAttr } from '../shared';

// A CommonJS package: its namespaces are reachable from the default export only under Node's ESM loader.
const { temporal } = proto;
/** The indexed type of each SearchAttributeType Catalyst uses (doctor checks against it too). */
export const INDEXED: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

/**
 * The dev server registers Catalyst's search attributes from its command line; a real cluster
 * gets them here (an operator call; Temporal Cloud needs them created in its console instead).
 */
export async function registerSearchAttributes(
  client: Client,
  namespace: string,
  log: (line: string) => void,
): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.values(SearchAttr).map((k) => [k.name, INDEXED[k.type]!]),
  );
  try {
    await client.connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    const message = (err as Error).message;
    if (/already exists/i.test(message)) return;
    log(
      `could not register search attributes on ${namespace} (${message}); create ${Object.keys(searchAttributes).join(', ')} yourself`,
    );
  }
}
