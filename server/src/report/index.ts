/**
 * The encode report: its data beside the output, and the HTML page built from it.
 */
export { defaultReportPath, keepReportData, loadJobReport, loadReportData, writeEncodeReport, writeHtmlReport } from './files';
