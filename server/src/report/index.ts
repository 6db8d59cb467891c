// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { defaultReportPath, loadJobReport, writeEncodeReport, writeHtmlReport } from './files';
