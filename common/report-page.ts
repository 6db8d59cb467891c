/**
 * The report page's shell, written once for the editor's report panel (client/src/report/panel.ts)
 * and the standalone HTML report (server/src/report/html.ts): the head both need (charset, the
 * caller's Content-Security-Policy, viewport), then what each adds (a stylesheet link, or a title
 * and inline style), and a body holding the page script's root element. Pure text; the caller
 * escapes what it puts in.
 */
export interface ReportPageParts {
  csp: string;
  /** Lines after the shared head elements, before </head>. */
  head: string[];
  /** Lines after <main id="app">, before </body> (the page script, the model). */
  body: string[];
  bodyClass?: string;
}

export function reportPageHtml(parts: ReportPageParts): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${parts.csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...parts.head,
    '</head>',
    parts.bodyClass ? `<body class="${parts.bodyClass}">` : '<body>',
    '<main id="app"></main>',
    ...parts.body,
    '</body>',
    '</html>',
  ].join('\n');
}
