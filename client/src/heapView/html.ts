// The heap view page's HTML: an empty shell that loads the separately bundled page script
// and stylesheet from dist/. The content security policy allows nothing but that script
// (by nonce) and stylesheets from the extension (no inline script or style, no remote
// resources, no images). No vscode import, so the browser tests use the same HTML.

export interface PageResources {
  /** webview.cspSource: the origin that serves the extension's local resources. */
  cspSource: string;
  /** A fresh random nonce per page load. */
  nonce: string;
  /** webview.asWebviewUri(dist/webview.js) and (dist/webview.css), as strings. */
  scriptUri: string;
  styleUri: string;
}

export function contentSecurityPolicy({ cspSource, nonce }: Pick<PageResources, 'cspSource' | 'nonce'>): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function heapViewHtml(resources: PageResources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(resources))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(resources.styleUri)}">
<title>Heap View</title>
</head>
<body>
<div id="app" aria-live="off"><p>Loading the heap view…</p></div>
<script nonce="${attribute(resources.nonce)}" src="${attribute(resources.scriptUri)}"></script>
</body>
</html>
`;
}
