// svg-to-pdfkit 0.1.8 ships no types; this covers the options the figure code passes.
declare module "svg-to-pdfkit" {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    /** Treat SVG px as PDF pt (1:1) instead of 96 dpi. */
    assumePt?: boolean;
    precision?: number;
    /** Maps a font-family (and weight/style) to a font name registered in the document. */
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: { fauxItalic: boolean; fauxBold: boolean }) => string;
    warningCallback?: (message: string) => void;
  }
  function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x?: number, y?: number, options?: SvgToPdfOptions): void;
  export default SVGtoPDF;
}
