import path from 'node:path';
import { UsageError, UserError } from '../errors';
import { HELP_FLAG, parseFlags, usageText, type CommandSpec } from './flags';
import { locateWorkDir } from '../job';
import { defaultOutputPath, jobStateFileRefusal } from '../workdir';
import { defaultReportPath, loadJobReport, writeHtmlReport } from '../report';

export const REPORT_COMMAND: CommandSpec = {
  name: 'report',
  synopsis: 'report WORK_DIR|INPUT [-o REPORT.html] [--json] [--overwrite] [--encode-output OUTPUT] [--work-dir DIR]',
  flags: [
    {
      name: 'output',
      short: 'o',
      value: 'string',
      placeholder: 'REPORT.html',
      help: "where to write the HTML report (default: OUTPUT.report.html beside the encode's output)",
    },
    { name: 'json', value: 'boolean', help: 'print the report model as one JSON object instead of writing HTML' },
    { name: 'overwrite', value: 'boolean', help: 'replace an existing report file' },
    { name: 'encode-output', value: 'string', placeholder: 'OUTPUT', help: 'the output the encode wrote (when not the default)' },
    { name: 'work-dir', value: 'string', placeholder: 'DIR', help: 'the work directory the encode used (when not the default)' },
    HELP_FLAG,
  ],
  notes: `Writes one self-contained HTML file (inline script and styles, no network) with the job's
quality report: verified VMAF, CRF and bitrate per segment, each segment's CRF search.
Given an INPUT whose encode finished and removed its work directory, reads the data
"encode --report" kept beside the output (OUTPUT.report.json).`,
};

/** `chunked-av1 report WORK_DIR|INPUT`: the job's quality report as HTML, or its model as JSON. */
export async function runReportCommand(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, REPORT_COMMAND);
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(`${usageText(REPORT_COMMAND)}\n`);
    return 0;
  }
  const [target, ...extra] = parsed.positionals;
  if (!target || extra.length) throw new UsageError('report takes one WORK_DIR or INPUT; see chunked-av1 report --help');
  const encodeOutput = values['encode-output'] as string | undefined;
  const workDir = locateWorkDir({ target, output: encodeOutput, workDir: values['work-dir'] as string | undefined });
  const fallbackOutput = workDir === path.resolve(target) ? undefined : path.resolve(encodeOutput ?? defaultOutputPath(target));
  const report = await loadJobReport(workDir, fallbackOutput, { measureSource: true });
  if (!report)
    throw new UserError(
      `${target}: no chunked-av1 job found (no manifest in ${workDir}${fallbackOutput ? ` and no ${fallbackOutput}.report.json` : ''}); ` +
        'a finished encode keeps its report data only when run with `encode --report` (or from the editor, which keeps it for every job)',
      target,
    );
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const file = path.resolve((values.output as string | undefined) ?? defaultReportPath(report.output));
  // The job's own files (manifest.json, segment_list.txt, the marker…) are never a report's place.
  const refusal = await jobStateFileRefusal(file, workDir);
  if (refusal) throw new UserError(`${file}: ${refusal}; choose another report path`, file);
  await writeHtmlReport(file, report, { overwrite: values.overwrite === true, protect: [report.input, report.output] });
  process.stdout.write(`${file}\n`);
  return 0;
}
