//! Draws a [`Layout`] with printpdf: every character is placed at its absolute position (printpdf
//! merges each baseline into one `TJ` run), fonts are embedded as subsets with a ToUnicode map,
//! headings become outline entries, and title/author/dates go into the document information.

use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LinePoint, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix, TextRenderingMode, WindingOrder,
};

use crate::fonts::FontSet;
use crate::layout::{Item, Layout, PAGE_H, PAGE_W, STYLES};
use crate::model::Report;

fn grey(g: f32) -> Color {
    Color::Greyscale(Greyscale { percent: g, icc_profile: None })
}

/// Seconds since 1970 of a civil date at 00:00 UTC.
fn unix_date(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146097 + doe - 719468) * 86400
}

fn page_ops(items: &[Item], fonts: &FontSet, ids: &[FontId]) -> Vec<Op> {
    let mut ops = Vec::new();
    // Graphics first (table shading under the text), then rules, then text.
    for item in items {
        if let Item::Rect { x, y, w, h, gray, outline } = item {
            ops.push(Op::SetFillColor { col: grey(*gray) });
            ops.push(Op::SetOutlineColor { col: grey(0.0) });
            ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(*x),
                    y: Pt(PAGE_H - y - h),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: Some(if *outline { PaintMode::FillStroke } else { PaintMode::Fill }),
                    winding_order: Some(WindingOrder::NonZero),
                },
            });
        }
    }
    ops.push(Op::SetOutlineColor { col: grey(0.0) });
    for item in items {
        if let Item::Rule { x1, y1, x2, y2, width } = item {
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint { p: Point { x: Pt(*x1), y: Pt(PAGE_H - y1) }, bezier: false },
                        LinePoint { p: Point { x: Pt(*x2), y: Pt(PAGE_H - y2) }, bezier: false },
                    ],
                    is_closed: false,
                },
            });
        }
    }
    ops.push(Op::StartTextSection);
    let mut cur_font: Option<(usize, u32)> = None;
    let mut cur_bold = false;
    let mut cur_gray = -1.0_f32;
    ops.push(Op::SetOutlineThickness { pt: Pt(0.45) });
    for item in items {
        let Item::Text { x, y, style, text, gray } = item else { continue };
        let st = &STYLES[*style];
        if *gray != cur_gray {
            ops.push(Op::SetFillColor { col: grey(*gray) });
            ops.push(Op::SetOutlineColor { col: grey(*gray) });
            cur_gray = *gray;
        }
        if st.bold != cur_bold {
            ops.push(Op::SetTextRenderingMode {
                mode: if st.bold { TextRenderingMode::FillStroke } else { TextRenderingMode::Fill },
            });
            cur_bold = st.bold;
        }
        let mut cx = *x;
        for c in text.chars() {
            let wide = crate::linebreak::is_wide(c);
            let Some((face, gid)) = fonts.resolve(st.role, c) else {
                cx += if wide { st.cell } else { st.size * 0.5 };
                continue;
            };
            let key = (face, st.size.to_bits());
            if cur_font != Some(key) {
                ops.push(Op::SetFont { font: PdfFontHandle::External(ids[face].clone()), size: Pt(st.size) });
                cur_font = Some(key);
            }
            // A wide glyph is centred in its grid cell (the cell may be narrower than the em).
            let adv = fonts.faces[face].advance_em(gid) * st.size;
            let gx = if wide { cx + (st.cell - adv) / 2.0 } else { cx };
            {
                ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(gx), Pt(PAGE_H - y)) });
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(vec![Codepoint { gid, offset: 0.0, cid: Some(c.to_string()) }])],
                });
            }
            cx += if wide { st.cell } else { adv };
        }
    }
    ops.push(Op::EndTextSection);
    ops
}

/// Writes the PDF; returns its bytes and printpdf's warnings of severity error (as text).
pub fn write(report: &Report, layout: &Layout, fonts: &FontSet, pages: Option<usize>) -> (Vec<u8>, Vec<String>) {
    let mut doc = PdfDocument::new(&report.title);
    let ids: Vec<FontId> = fonts.faces.iter().map(|f| doc.add_font(&f.parsed)).collect();
    let (y, m, d) = report.date_ymd;
    let info = &mut doc.metadata.info;
    info.author = report.author.clone();
    info.creator = "履职自评".into();
    info.producer = format!("履职自评 {}（printpdf）", env!("CARGO_PKG_VERSION"));
    info.subject = "履行教育职责自查自评报告".into();
    if let Ok(t) = printpdf::date::OffsetDateTime::from_unix_timestamp(unix_date(y, m, d)) {
        info.creation_date = t;
        info.modification_date = t;
        info.metadata_date = t;
    }
    let n = pages.unwrap_or(layout.pages.len()).min(layout.pages.len());
    let pdf_pages: Vec<PdfPage> = layout.pages[..n]
        .iter()
        .map(|p| PdfPage::new(Pt(PAGE_W).into(), Pt(PAGE_H).into(), page_ops(&p.items, fonts, &ids)))
        .collect();
    for o in &layout.outline {
        if o.page <= n {
            doc.add_bookmark(&o.title, o.page);
        }
    }
    let options = PdfSaveOptions { subset_fonts: true, optimize: true, ..Default::default() };
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pdf_pages).save(&options, &mut warnings);
    let errors = warnings
        .into_iter()
        .filter(|w| w.severity == printpdf::PdfParseErrorSeverity::Error)
        .map(|w| w.msg)
        .collect();
    (bytes, errors)
}
