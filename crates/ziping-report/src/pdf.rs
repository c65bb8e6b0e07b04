//! Draws a [`Layout`] with printpdf: every character is placed at its absolute position (printpdf
//! merges each baseline into one `TJ` run), fonts are embedded as subsets with a ToUnicode map,
//! headings become outline entries, and title/author/dates go into the document information.
//!
//! Fonts: each face is first cut down to the glyphs the pages use ([`subset_face`], allsorts,
//! one thread per face), and printpdf gets only that small font to parse and subset again (which
//! gives it the `ABCDEF+` subset tag and the ToUnicode map). Handing printpdf the whole 5–8 MB
//! Fandol faces made it parse every table of each (~85 ms for five faces).

use std::collections::{BTreeMap, HashMap};

use printpdf::{
    Codepoint, Color, FontId, Greyscale, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix, TextRenderingMode, WindingOrder,
};

use crate::fonts::{Face, FontSet};
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

/// A face as embedded: printpdf's id and the glyph renumbering of the subset.
struct Embedded {
    id: FontId,
    gids: HashMap<u16, u16>,
}

/// The glyphs of each face (by [`FontSet::face_at`] index) that the pages draw.
fn used_glyphs(pages: &[crate::layout::Page], fonts: &FontSet) -> BTreeMap<usize, BTreeMap<u16, char>> {
    let mut used: BTreeMap<usize, BTreeMap<u16, char>> = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            let Item::Text { style, text, .. } = item else { continue };
            for c in text.chars() {
                if let Some((face, gid)) = fonts.resolve(STYLES[*style].role, c) {
                    used.entry(face).or_default().entry(gid).or_insert(c);
                }
            }
        }
    }
    used
}

/// Cuts a face down to `glyphs` (plus `.notdef`): the subset font's bytes and, per original
/// glyph, its glyph id in the subset (its position in the list handed to allsorts).
pub fn subset_face(face: &Face, glyphs: impl Iterator<Item = u16>) -> Result<(Vec<u8>, HashMap<u16, u16>), String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs.filter(|g| *g != 0)).collect();
    let data = face.sfnt.data();
    let file = ReadScope::new(data.as_slice()).read::<FontData<'_>>().map_err(|e| e.to_string())?;
    let provider = file.table_provider(face.sfnt.index()).map_err(|e| e.to_string())?;
    let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).map_err(|e| e.to_string())?;
    let map = ids.iter().enumerate().map(|(i, g)| (*g, i as u16)).collect();
    Ok((bytes, map))
}

fn page_ops(items: &[Item], fonts: &FontSet, embedded: &HashMap<usize, Embedded>) -> Vec<Op> {
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
            let Some(emb) = embedded.get(&face) else { continue };
            let key = (face, st.size.to_bits());
            if cur_font != Some(key) {
                ops.push(Op::SetFont { font: PdfFontHandle::External(emb.id.clone()), size: Pt(st.size) });
                cur_font = Some(key);
            }
            // A wide glyph is centred in its grid cell (the cell may be narrower than the em).
            let adv = fonts.face_at(face).advance_em(gid) * st.size;
            let gid = emb.gids.get(&gid).copied().unwrap_or(0);
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
    let n = pages.unwrap_or(layout.pages.len()).min(layout.pages.len());
    let timing = std::env::var_os("ZIPING_REPORT_TIMING").is_some();
    let t = std::time::Instant::now();
    // Subset every used face, one thread per face.
    let used = used_glyphs(&layout.pages[..n], fonts);
    type Subset = (usize, Result<ParsedFont, String>, HashMap<u16, u16>);
    let subsets: Vec<Subset> = std::thread::scope(|s| {
        let handles: Vec<_> = used
            .iter()
            .map(|(face, glyphs)| {
                s.spawn(move || {
                    let f = fonts.face_at(*face);
                    match subset_face(f, glyphs.keys().copied()) {
                        Ok((bytes, map)) => {
                            let mut w = Vec::new();
                            let parsed = ParsedFont::from_bytes(&bytes, 0, &mut w)
                                .ok_or_else(|| format!("字体“{}”的子集无法读取", f.name));
                            (*face, parsed, map)
                        }
                        Err(e) => (*face, Err(format!("字体“{}”无法生成子集：{e}", f.name)), HashMap::new()),
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("font subsetting thread panicked")).collect()
    });
    let mut errors = Vec::new();
    let mut embedded = HashMap::new();
    for (face, parsed, gids) in subsets {
        match parsed {
            Ok(p) => {
                embedded.insert(face, Embedded { id: doc.add_font(&p), gids });
            }
            Err(e) => errors.push(e),
        }
    }
    if timing {
        eprintln!("subset {:?}", t.elapsed());
    }
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
    let pdf_pages: Vec<PdfPage> = layout.pages[..n]
        .iter()
        .map(|p| PdfPage::new(Pt(PAGE_W).into(), Pt(PAGE_H).into(), page_ops(&p.items, fonts, &embedded)))
        .collect();
    for o in &layout.outline {
        if o.page <= n {
            doc.add_bookmark(&o.title, o.page);
        }
    }
    let options = PdfSaveOptions { subset_fonts: true, optimize: true, ..Default::default() };
    let mut warnings = Vec::new();
    let t = std::time::Instant::now();
    let bytes = doc.with_pages(pdf_pages).save(&options, &mut warnings);
    if timing {
        eprintln!("save {:?}", t.elapsed());
    }
    errors.extend(
        warnings.into_iter().filter(|w| w.severity == printpdf::PdfParseErrorSeverity::Error).map(|w| w.msg),
    );
    (bytes, errors)
}
