// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { defaultReportPath, keepReportData, loadJobReport, loadReportData, writeEncodeReport, writeHtmlReport } from './files';
