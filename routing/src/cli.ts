import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateDemoTown } from './osm/demo-town.js';
import { prepareNetwork, preparedFileOf, savePreparedNetwork } from './prepare.js';

const USAGE = `usage: npm run routing -- <command>

  build --osm FILE --out DIR     import an OSM extract (PBF or XML), contract it, write DIR/<name>.mswroute
  demo-town --out FILE           write the generated demo town as an OSM XML file`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { osm: { type: 'string' }, out: { type: 'string' } },
  });
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);
  const [command] = positionals;
  if (command === 'build') {
    if (!values.osm || !values.out) throw new UsageError(USAGE);
    const { network, timings } = await prepareNetwork(values.osm);
    const file = preparedFileOf(values.osm, values.out);
    await savePreparedNetwork(file, network);
    print(
      JSON.stringify({
        file,
        importS: round(timings.importS),
        contractS: round(timings.contractS),
        ...timings.stats,
      }),
    );
    return;
  }
  if (command === 'demo-town') {
    if (!values.out) throw new UsageError(USAGE);
    await generateDemoTown(values.out);
    print(`demo town written to ${values.out}`);
    return;
  }
  throw new UsageError(USAGE);
}

class UsageError extends Error {}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof UsageError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
});
