// Vector PDF through pdfkit and svg-to-pdfkit, with DejaVu Sans embedded (pdfkit subsets
// it). The info dates are fixed and pdfkit derives the file id from them, so the same
// figure gives the same bytes on every run.
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { FONT_FILES } from "./fonts.js";

const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));
const REGULAR = "DejaVuSans";
const BOLD = "DejaVuSans-Bold";

/** One page the size of the SVG, 1 SVG px = 1 pt. */
export function renderPdf(svg: string, width: number, height: number, title: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: [width, height],
      margin: 0,
      compress: true,
      // The bands are translucent, which needs 1.4 (pdfkit would label the file 1.3).
      pdfVersion: "1.4",
      info: { Title: title, Creator: "twinedge", Producer: "twinedge", CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
    });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
    doc.registerFont(REGULAR, FONT_FILES.regular);
    doc.registerFont(BOLD, FONT_FILES.bold);
    const warnings: string[] = [];
    try {
      SVGtoPDF(doc, svg, 0, 0, {
        width,
        height,
        assumePt: true,
        // Every text is DejaVu; the SVG's weight attribute picks the face.
        fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
        warningCallback: (m) => warnings.push(m),
      });
    } catch (e) {
      reject(e);
      return;
    }
    if (warnings.length > 0) {
      reject(new Error(`renderPdf: ${title}: ${warnings.join("; ")}`));
      return;
    }
    doc.end();
  });
}
