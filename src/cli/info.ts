/**
 * The options that print something about minishark itself and exit: -v/--version and -G reports.
 */
import * as fs from 'node:fs';

/** The Wireshark release whose tshark output minishark reproduces. */
export const WIRESHARK_VERSION = '4.0';

/** Exit statuses (as in ./main.ts, which imports this module lazily). */
const EXIT_OK = 0;
const EXIT_USAGE = 1;

/** minishark's version, from its package.json (two levels up from src/cli and from dist/cli). */
export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** -v / --version: two lines on stdout. */
export function versionText(): string {
  return `minishark ${version()}\nReproduces the output of Wireshark (tshark) ${WIRESHARK_VERSION}.\n`;
}

export function printVersion(out: NodeJS.WritableStream): number {
  return write(out, versionText());
}

/** The -G reports minishark has, with tshark's -G help wording. */
const REPORTS: Record<string, string> = {
  fields: 'dump fields glossary and exit',
  protocols: 'dump protocols in registration database and exit',
};

function reportHelp(): string {
  const lines = Object.entries(REPORTS).map(([k, v]) => `  ${`-G ${k}`.padEnd(25)}${v}`);
  return `minishark ${version()}\n\nUsage: minishark -G [report]\n\nGlossary table reports:\n${lines.join('\n')}\n\n`;
}

export interface ReportIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * -G [report], as tshark: only as the first option (anything after it is ignored), `-G` alone is
 * `-G fields`; an unknown report is a usage error. Resolves to the exit status.
 */
export async function printReport(report: string | true, argv: string[], io: ReportIO): Promise<number> {
  const err = (s: string) => {
    io.stderr.write(`minishark: ${s}\n`);
    return EXIT_USAGE;
  };
  if (!argv[2]?.startsWith('-G')) return err('-G only valid as first option');
  const name = report === true ? 'fields' : report;
  if (name === 'help') return write(io.stdout, reportHelp());
  if (!Object.hasOwn(REPORTS, name)) return err(`Invalid "${name}" option for -G flag, enter -G help for more help.`);
  // the dissectors register the fields and protocols the reports list
  await import('../dissect/engine.js');
  const glossary = await import('../output/glossary.js');
  return write(io.stdout, name === 'fields' ? glossary.fieldsGlossary() : glossary.protocolsGlossary());
}

function write(out: NodeJS.WritableStream, s: string): number {
  out.write(s);
  return EXIT_OK;
}
