/**
 * Catalyst's custom search attributes (src/shared.ts) on the namespace, each with its type: a day
 * started without them is refused by the server. The dev server gets them on its command line and
 * `catalyst up` registers them on a self-hosted cluster; on Temporal Cloud they are made in the console.
 */
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_CLI_ARGS, SearchAttr } from '../../shared';
import { INDEXED } from '../searchAttributes';
import { fail, ok, oneLine, warn, type CheckResult } from './checkResult';

// A CommonJS package: its namespaces are reachable from the default export only under Node's ESM loader.
const { temporal } = proto;
const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const EXPECTED = INDEXED;

const NAME = 'temporal search attributes';

/** `Keyword`, `Double`, … as the Temporal CLI and UI spell them. */
function typeName(t: proto.temporal.api.enums.v1.IndexedValueType | undefined | null): string {
  const raw = t === undefined || t === null ? 'missing' : (IndexedValueType[t] ?? String(t));
  return raw
    .replace(/^INDEXED_VALUE_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)(\w)/g, (_m, _s: string, c: string) => c.toUpperCase());
}

export async function checkSearchAttributes(
  connection: Connection,
  namespace: string,
  deadline: number,
): Promise<CheckResult> {
  let custom: Record<string, proto.temporal.api.enums.v1.IndexedValueType>;
  try {
    const answer = await connection.withDeadline(deadline, () =>
      connection.operatorService.listSearchAttributes({ namespace }),
    );
    custom = (answer.customAttributes ?? {}) as Record<string, proto.temporal.api.enums.v1.IndexedValueType>;
  } catch (err) {
    // Temporal Cloud does not let every key list them through the operator API.
    return warn(
      NAME,
      `cannot list the search attributes of ${namespace}: ${oneLine(err)}`,
      `check that ${Object.values(SearchAttr)
        .map((k) => k.name)
        .join(', ')} exist (Temporal Cloud: Namespaces → Custom Search Attributes)`,
    );
  }
  const problems: string[] = [];
  const missing: string[] = [];
  for (const key of Object.values(SearchAttr)) {
    const found = custom[key.name];
    if (found === undefined) missing.push(key.name);
    else if (found !== EXPECTED[key.type])
      problems.push(`${key.name} is ${typeName(found)}, expected ${typeName(EXPECTED[key.type])}`);
  }
  if (missing.length === 0 && problems.length === 0)
    return ok(
      NAME,
      `${Object.values(SearchAttr)
        .map((k) => k.name)
        .join(', ')} registered on ${namespace}`,
    );
  const create = SEARCH_ATTRIBUTE_CLI_ARGS.map((a) => a.split('='))
    .filter(([name]) => missing.includes(name!))
    .map(([name, type]) => `--name ${name} --type ${type}`)
    .join(' ');
  return fail(
    NAME,
    [missing.length ? `missing on ${namespace}: ${missing.join(', ')}` : '', ...problems]
      .filter(Boolean)
      .join('; '),
    missing.length
      ? `\`catalyst up\` registers them on a self-hosted cluster, or: temporal operator search-attribute create --namespace ${namespace} ${create} (Temporal Cloud: in the console)`
      : 'a search attribute cannot change type: use a namespace where they have the types above',
  );
}
