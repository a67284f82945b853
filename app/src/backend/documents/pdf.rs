//! A4 portrait PDF documents with Japanese text, written with krilla.
//!
//! krilla embeds each face as a subset CID font with a ToUnicode map, so the
//! output stays small and its text can be searched and copied. Layout is done
//! here: the document is laid out into per-page display lists first and only
//! drawn in [`Document::finish`], because the footer needs the page count.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::{FileRef, TableProvider};
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const MARGIN: f32 = 15.0 * MM;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Lowest point body content may reach; the footer lives below it.
const BODY_BOTTOM: f32 = PAGE_H - MARGIN - 5.0 * MM;

const TITLE_SIZE: f32 = 15.0;
const HEADING_SIZE: f32 = 12.0;
const BODY_SIZE: f32 = 9.5;
const TABLE_SIZE: f32 = 8.5;
/// Column titles are smaller: a statement's titles are the long names the tax rules use.
const HEADER_SIZE: f32 = 7.5;
const FOOTER_SIZE: f32 = 8.0;
/// Line height factors: Japanese body text needs more leading than Latin.
const BODY_LEADING: f32 = 1.6;
const CELL_LEADING: f32 = 1.3;
const CELL_PAD_X: f32 = 1.5 * MM;
const CELL_PAD_Y: f32 = 1.2 * MM;

const BLACK: u8 = 0;
const TEXT_GREY: u8 = 90;
const RULE_GREY: u8 = 170;
const HEADER_FILL: u8 = 230;

/// Characters that must not start a line (kinsoku): closing brackets and
/// punctuation, small kana, the prolonged sound mark.
const NO_LINE_START: &str = "、。，．,.:;!?！？）」』】〕〉》］｝)]}・ー〜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ%％";
/// Characters that must not end a line: opening brackets.
const NO_LINE_END: &str = "（「『【〔〈《［｛([{";

/// One face: the krilla font (which owns the bytes and is cheap to clone)
/// plus the metrics needed for line breaking, extracted once at load.
struct Face {
    font: Font,
    glyphs: HashMap<char, GlyphId>,
    /// Advance widths in em, indexed by glyph id.
    advances: Vec<f32>,
    /// Top of the em box in em; CJK fonts centre glyphs in it.
    ascent: f32,
}

/// The two faces, parsed once at start and shared (read-only) by every request.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    /// Loads the faces from the given .ttc/.otf/.ttf paths; for a collection the
    /// Japanese face is the first whose family name ends in "JP".
    pub fn load(regular: &Path, bold: &Path) -> Result<Fonts, String> {
        Ok(Fonts { regular: Face::load(regular)?, bold: Face::load(bold)? })
    }

    fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

impl Face {
    fn load(path: &Path) -> Result<Face, String> {
        let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let data = Arc::new(std::fs::read(path).map_err(|e| err(&e))?);
        let index = japanese_face(&data).map_err(|e| err(&e))?;
        let font_ref = FontRef::from_index(&data, index).map_err(|e| err(&e))?;

        let metrics = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em.max(1));
        // OS/2 typo ascender is the ideographic em-box top (880/1000 in Noto CJK),
        // whereas hhea's ascent includes extra room for accents.
        let ascent = font_ref.os2().map(|os2| f32::from(os2.s_typo_ascender())).unwrap_or(metrics.ascent);
        let glyph_metrics = font_ref.glyph_metrics(Size::unscaled(), LocationRef::default());
        let advances = (0..u32::from(metrics.glyph_count)).map(|g| glyph_metrics.advance_width(g.into()).unwrap_or(0.0) / upem).collect();
        let glyphs = font_ref.charmap().mappings().filter_map(|(c, g)| Some((char::from_u32(c)?, GlyphId::new(g.to_u32())))).collect();

        // The same Arc'd bytes back the krilla font: no copy, and krilla hashes
        // them once here rather than per document.
        let font = Font::new(data.into(), index).ok_or_else(|| err(&"krilla cannot read the font"))?;
        Ok(Face { font, glyphs, advances, ascent: ascent / upem })
    }

    /// Glyph and advance (em) of `c`; characters missing from the font get .notdef.
    fn glyph(&self, c: char) -> (GlyphId, f32) {
        let g = self.glyphs.get(&c).copied().unwrap_or(GlyphId::new(0));
        (g, self.advances.get(g.to_u32() as usize).copied().unwrap_or(0.0))
    }

    /// Baseline for a line box of height `line_h` whose top is at `top`: the
    /// em box is centred vertically in the box.
    fn baseline(&self, top: f32, line_h: f32, size: f32) -> f32 {
        top + (line_h - size) / 2.0 + self.ascent * size
    }

    /// Breaks `text` into lines no wider than `max_w` (points), honouring '\n'.
    /// Always returns at least one (possibly empty) line.
    fn layout(&self, text: &str, size: f32, max_w: f32) -> Vec<Line> {
        let mut lines = Vec::new();
        // Tabs would otherwise be dropped with the other control characters.
        let text = if text.contains('\t') { Cow::Owned(text.replace('\t', " ")) } else { Cow::Borrowed(text) };
        for part in text.split('\n') {
            self.wrap(part, size, max_w, &mut lines);
        }
        lines
    }

    fn wrap(&self, text: &str, size: f32, max_w: f32, out: &mut Vec<Line>) {
        let chars: Vec<Shaped> = text
            .char_indices()
            .filter(|(_, c)| !c.is_control())
            .map(|(at, c)| {
                let (glyph, advance) = self.glyph(c);
                Shaped { at, c, glyph, advance: advance * size }
            })
            .collect();

        let mut start = 0;
        loop {
            let mut end = start;
            let mut width = 0.0;
            while end < chars.len() && width + chars[end].advance <= max_w {
                width += chars[end].advance;
                end += 1;
            }
            if end == chars.len() {
                out.push(Line::new(text, &chars[start..end], size));
                return;
            }
            // A glyph wider than the whole column still has to go somewhere.
            let end = if end == start { start + 1 } else { break_before(&chars, start, end) };
            out.push(Line::new(text, &chars[start..end], size));
            start = end;
            while chars.get(start).is_some_and(|s| s.c.is_whitespace()) {
                start += 1;
            }
        }
    }
}

/// Index of the Japanese face: in a collection (Noto/Source Han CJK bundle
/// JP, KR, SC, TC and HK faces) the first face whose family name ends in "JP";
/// a single font is face 0.
fn japanese_face(data: &[u8]) -> Result<u32, String> {
    match FileRef::new(data).map_err(|e| e.to_string())? {
        FileRef::Font(_) => Ok(0),
        FileRef::Collection(collection) => (0..collection.len())
            .find(|&i| collection.get(i).is_ok_and(|face| family_name(&face).is_some_and(|name| name.ends_with(" JP"))))
            .ok_or_else(|| "no face with a \"… JP\" family name in the collection".to_string()),
    }
}

/// The English family name, preferring the typographic family (name ID 16)
/// because ID 1 carries the weight for non-RIBBI styles ("… JP Medium").
fn family_name(font: &FontRef) -> Option<String> {
    [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME]
        .into_iter()
        .find_map(|id| font.localized_strings(id).english_or_first())
        .map(|name| name.chars().collect())
}

/// A character with its glyph, byte offset in the source text and advance (pt).
struct Shaped {
    at: usize,
    c: char,
    glyph: GlyphId,
    advance: f32,
}

/// Where to end a line that overflows at `overflow`: preferably at a space
/// (between the parts of a name or facility) if that keeps the line at least
/// half full, else at the last break opportunity, else at `overflow` itself.
fn break_before(chars: &[Shaped], start: usize, overflow: usize) -> usize {
    let half = start + (overflow - start).div_ceil(2);
    let opportunities = || (start + 1..=overflow).rev().filter(|&i| can_break(chars[i - 1].c, chars[i].c));
    opportunities()
        .take_while(|&i| i >= half)
        .find(|&i| chars[i - 1].c.is_whitespace())
        .or_else(|| opportunities().next())
        .unwrap_or(overflow)
}

/// Japanese breaks between any two characters, subject to kinsoku; runs of
/// ASCII (numbers like "12,340", Latin words) break only at spaces.
fn can_break(before: char, after: char) -> bool {
    if NO_LINE_START.contains(after) || NO_LINE_END.contains(before) {
        return false;
    }
    before.is_whitespace() || !(before.is_ascii_graphic() && after.is_ascii_graphic())
}

/// One laid-out line of text, ready for `Surface::draw_glyphs`.
#[derive(Clone)]
struct Line {
    text: String,
    glyphs: Vec<KrillaGlyph>,
    width: f32,
}

impl Line {
    fn new(source: &str, chars: &[Shaped], size: f32) -> Line {
        let trimmed = chars.len() - chars.iter().rev().take_while(|s| s.c.is_whitespace()).count();
        let chars = &chars[..trimmed];
        let (Some(first), Some(last)) = (chars.first(), chars.last()) else {
            return Line { text: String::new(), glyphs: Vec::new(), width: 0.0 };
        };
        let base = first.at;
        // Each glyph's text range is what krilla writes into the ToUnicode map.
        let glyphs = chars
            .iter()
            .map(|s| {
                let range = s.at - base..s.at - base + s.c.len_utf8();
                KrillaGlyph::new(s.glyph, s.advance / size, 0.0, 0.0, 0.0, range, None)
            })
            .collect();
        Line { text: source[base..last.at + last.c.len_utf8()].to_string(), glyphs, width: chars.iter().map(|s| s.advance).sum() }
    }
}

/// Horizontal alignment of a table column.
#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Right,
}

/// A table column: header text, width and alignment.
pub struct Column<'a> {
    pub title: &'a str,
    pub width_mm: f32,
    pub align: Align,
}

/// A table cell: its wrapped lines and weight.
#[derive(Clone)]
struct Cell {
    lines: Vec<Line>,
    bold: bool,
}

/// Horizontal geometry of one grid column, in points.
#[derive(Clone, Copy)]
struct Track {
    x: f32,
    width: f32,
    align: Align,
}

/// Something to draw on a page, positioned in points from the top left.
enum Item {
    Text { x: f32, baseline: f32, size: f32, bold: bool, grey: u8, line: Line },
    Rect { x: f32, y: f32, w: f32, h: f32, grey: u8 },
}

/// One A4 portrait document built top to bottom; pages break by themselves.
pub struct Document<'f> {
    fonts: &'f Fonts,
    title: String,
    footer: String,
    /// Display lists, one per page; the last one is being filled.
    pages: Vec<Vec<Item>>,
    /// Top of the free space on the current page.
    y: f32,
}

impl<'f> Document<'f> {
    /// `title` goes into the PDF metadata and as the first heading; `footer`
    /// and 「n / N ページ」 are printed at the bottom of every page.
    pub fn new(fonts: &'f Fonts, title: &str, footer: &str) -> Self {
        let mut doc = Document { fonts, title: title.to_string(), footer: footer.to_string(), pages: vec![Vec::new()], y: MARGIN };
        doc.heading_sized(title, TITLE_SIZE);
        doc
    }

    /// A bold, larger heading with some space before; kept with what follows.
    pub fn heading(&mut self, text: &str) {
        self.heading_sized(text, HEADING_SIZE);
    }

    /// Body text wrapped to the page width; '\n' starts a new line.
    pub fn paragraph(&mut self, text: &str) {
        let face = self.fonts.face(false);
        let line_h = BODY_SIZE * BODY_LEADING;
        for line in face.layout(text, BODY_SIZE, CONTENT_W) {
            self.ensure(line_h);
            let baseline = face.baseline(self.y, line_h, BODY_SIZE);
            self.text(MARGIN, baseline, BODY_SIZE, false, BLACK, line);
            self.y += line_h;
        }
        self.y += 2.0 * MM;
    }

    /// Label (bold) / value pairs in two columns; the label column is as wide
    /// as the longest label, within reason, and the values wrap.
    pub fn fields(&mut self, rows: &[(&str, &str)]) {
        let bold = self.fonts.face(true);
        let longest =
            rows.iter().flat_map(|(label, _)| bold.layout(label, BODY_SIZE, f32::INFINITY)).map(|line| line.width).fold(0.0, f32::max);
        let label_w = (longest + 2.0 * CELL_PAD_X + 3.0 * MM).clamp(20.0 * MM, 0.4 * CONTENT_W);
        let tracks = [
            Track { x: MARGIN, width: label_w, align: Align::Left },
            Track { x: MARGIN + label_w, width: CONTENT_W - label_w, align: Align::Left },
        ];
        let rows = rows
            .iter()
            .map(|(label, value)| {
                vec![self.cell(label, tracks[0].width, BODY_SIZE, true), self.cell(value, tracks[1].width, BODY_SIZE, false)]
            })
            .collect();
        self.grid(&tracks, None, rows, BODY_SIZE, false);
        self.y += 2.0 * MM;
    }

    /// A table with a bold header row on light grey, repeated on each new page.
    /// Columns wider than the page together are scaled down to fit. Missing
    /// cells are left empty, extra ones ignored. Rows whose first cell starts
    /// with 合計 or 小計 are bold.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let total_w: f32 = columns.iter().map(|c| c.width_mm.max(0.0) * MM).sum();
        if total_w <= 0.0 {
            return;
        }
        let scale = (CONTENT_W / total_w).min(1.0);
        let mut x = MARGIN;
        let tracks: Vec<Track> = columns
            .iter()
            .map(|c| {
                let width = c.width_mm.max(0.0) * MM * scale;
                x += width;
                Track { x: x - width, width, align: c.align }
            })
            .collect();
        let header: Vec<Cell> = columns.iter().zip(&tracks).map(|(c, t)| self.cell(c.title, t.width, HEADER_SIZE, true)).collect();
        let body = rows
            .iter()
            .map(|row| {
                let bold = row.first().is_some_and(|c| c.starts_with("合計") || c.starts_with("小計"));
                tracks
                    .iter()
                    .enumerate()
                    .map(|(i, t)| self.cell(row.get(i).map_or("", String::as_str), t.width, TABLE_SIZE, bold))
                    .collect()
            })
            .collect();
        self.grid(&tracks, Some(&header), body, TABLE_SIZE, true);
        self.y += 3.0 * MM;
    }

    /// What follows starts on a new page (nothing happens at the top of an empty one).
    pub fn page_break(&mut self) {
        if self.y > MARGIN {
            self.new_page();
        }
    }

    /// Vertical space; a page break it causes shows up with the next content.
    pub fn space(&mut self, mm: f32) {
        self.y += mm.max(0.0) * MM;
    }

    /// The PDF bytes. Fails only if krilla cannot write the document (e.g. the
    /// font cannot be subset).
    pub fn finish(self) -> Result<Vec<u8>, String> {
        let mut pdf = krilla::Document::new();
        pdf.set_metadata(Metadata::new().title(self.title.clone()).language("ja".to_string()));
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("invalid page size")?;
        let count = self.pages.len();
        for (n, items) in self.pages.iter().enumerate() {
            let mut page = pdf.start_page_with(settings.clone());
            let mut surface = page.surface();
            for item in items.iter().chain(&self.footer_items(n + 1, count)) {
                self.draw(&mut surface, item);
            }
            surface.finish();
            page.finish();
        }
        pdf.finish().map_err(|e| format!("PDF export failed: {e:?}"))
    }

    fn heading_sized(&mut self, text: &str, size: f32) {
        if text.trim().is_empty() {
            return;
        }
        let face = self.fonts.face(true);
        let line_h = size * 1.4;
        let lines = face.layout(text, size, CONTENT_W);
        if self.y > MARGIN {
            self.y += 4.0 * MM;
        }
        // Keep the heading with at least two lines of what follows.
        self.ensure(lines.len() as f32 * line_h + 2.0 * BODY_SIZE * BODY_LEADING);
        for line in lines {
            self.ensure(line_h);
            let baseline = face.baseline(self.y, line_h, size);
            self.text(MARGIN, baseline, size, true, BLACK, line);
            self.y += line_h;
        }
        self.y += 1.5 * MM;
    }

    fn cell(&self, text: &str, width: f32, size: f32, bold: bool) -> Cell {
        let lines = self.fonts.face(bold).layout(text, size, width - 2.0 * CELL_PAD_X);
        Cell { lines, bold }
    }

    /// Lays out rows of cells in the given tracks. A row that does not fit
    /// moves to the next page (after the repeated header); only a row taller
    /// than a whole page is split between lines.
    fn grid(&mut self, tracks: &[Track], header: Option<&[Cell]>, rows: Vec<Vec<Cell>>, size: f32, ruled: bool) {
        let line_h = size * CELL_LEADING;
        let lines_of = |row: &[Cell]| row.iter().map(|c| c.lines.len()).max().unwrap_or(0).max(1);
        let header_h = header.map_or(0.0, |h| lines_of(h) as f32 * line_h + 2.0 * CELL_PAD_Y);
        let fit = |y: f32| ((BODY_BOTTOM - y - 2.0 * CELL_PAD_Y) / line_h).floor().max(0.0) as usize;
        let page_lines = fit(MARGIN + header_h).max(1);
        let draw_header = |doc: &mut Self| {
            if let Some(header) = header {
                doc.row(tracks, header.to_vec(), lines_of(header), line_h, HEADER_SIZE, true);
            }
        };

        self.ensure(header_h + line_h + 2.0 * CELL_PAD_Y);
        draw_header(self);
        for mut row in rows {
            let mut rest = lines_of(&row);
            loop {
                let room = fit(self.y);
                if rest <= room {
                    self.row(tracks, row, rest, line_h, size, false);
                    break;
                }
                if rest > page_lines && room > 0 {
                    row = self.row(tracks, row, room, line_h, size, false);
                    rest -= room;
                }
                self.new_page();
                draw_header(self);
            }
            if ruled {
                self.rule(tracks, 0.3, RULE_GREY);
            }
        }
    }

    /// Draws the first `count` lines of every cell in `row`, advances past
    /// them and returns the cells with what is left.
    fn row(&mut self, tracks: &[Track], mut row: Vec<Cell>, count: usize, line_h: f32, size: f32, header: bool) -> Vec<Cell> {
        let height = count as f32 * line_h + 2.0 * CELL_PAD_Y;
        if header {
            self.rect(MARGIN, self.y, grid_width(tracks), height, HEADER_FILL);
        }
        let top = self.y + CELL_PAD_Y;
        for (track, cell) in tracks.iter().zip(&mut row) {
            let face = self.fonts.face(cell.bold);
            let taken = count.min(cell.lines.len());
            for (i, line) in cell.lines.drain(..taken).enumerate() {
                let x = match track.align {
                    Align::Left => track.x + CELL_PAD_X,
                    Align::Right => track.x + track.width - CELL_PAD_X - line.width,
                };
                let baseline = face.baseline(top + i as f32 * line_h, line_h, size);
                self.text(x, baseline, size, cell.bold, BLACK, line);
            }
        }
        self.y += height;
        if header {
            self.rule(tracks, 0.6, TEXT_GREY);
        }
        row
    }

    /// A horizontal rule across the tracks at the current position.
    fn rule(&mut self, tracks: &[Track], thickness: f32, grey: u8) {
        self.rect(MARGIN, self.y - thickness / 2.0, grid_width(tracks), thickness, grey);
    }

    fn footer_items(&self, page: usize, count: usize) -> Vec<Item> {
        let face = self.fonts.face(false);
        let line_h = FOOTER_SIZE * 1.4;
        let top = BODY_BOTTOM + 2.0 * MM;
        let mut items = vec![Item::Rect { x: MARGIN, y: top, w: CONTENT_W, h: 0.4, grey: RULE_GREY }];
        let label = face.layout(&format!("{page} / {count} ページ"), FOOTER_SIZE, CONTENT_W).remove(0);
        let label_x = MARGIN + CONTENT_W - label.width;
        let footer = face.layout(&self.footer, FOOTER_SIZE, CONTENT_W - label.width - 5.0 * MM);
        for (i, line) in footer.into_iter().enumerate() {
            let baseline = face.baseline(top + 1.0 * MM + i as f32 * line_h, line_h, FOOTER_SIZE);
            items.push(Item::Text { x: MARGIN, baseline, size: FOOTER_SIZE, bold: false, grey: TEXT_GREY, line });
        }
        let baseline = face.baseline(top + 1.0 * MM, line_h, FOOTER_SIZE);
        items.push(Item::Text { x: label_x, baseline, size: FOOTER_SIZE, bold: false, grey: TEXT_GREY, line: label });
        items
    }

    /// Starts a new page unless `height` still fits on the current one (or the
    /// page is still empty, where waiting would not help).
    fn ensure(&mut self, height: f32) {
        if self.y + height > BODY_BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, bold: bool, grey: u8, line: Line) {
        if !line.glyphs.is_empty() {
            self.push(Item::Text { x, baseline, size, bold, grey, line });
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, grey: u8) {
        self.push(Item::Rect { x, y, w, h, grey });
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    fn draw(&self, surface: &mut Surface, item: &Item) {
        match item {
            Item::Text { x, baseline, size, bold, grey, line } => {
                surface.set_fill(Some(fill(*grey)));
                let font = self.fonts.face(*bold).font.clone();
                surface.draw_glyphs(Point::from_xy(*x, *baseline), &line.glyphs, font, &line.text, *size, false);
            }
            Item::Rect { x, y, w, h, grey } => {
                let mut path = PathBuilder::new();
                if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                    path.push_rect(rect);
                }
                if let Some(path) = path.finish() {
                    surface.set_fill(Some(fill(*grey)));
                    surface.draw_path(&path);
                }
            }
        }
    }
}

fn grid_width(tracks: &[Track]) -> f32 {
    tracks.last().map_or(0.0, |t| t.x + t.width) - MARGIN
}

fn fill(grey: u8) -> Fill {
    Fill { paint: luma::Color::new(grey).into(), ..Fill::default() }
}

/// The faces, read once per process from `PDF_FONT` / `PDF_FONT_BOLD` (tens of MB each: parsed
/// once, shared by every request).
pub fn fonts(config: &crate::backend::platform::Config) -> Result<&'static Fonts, String> {
    static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
    if let Some(fonts) = FONTS.get() {
        return Ok(fonts);
    }
    let loaded = Fonts::load(&config.pdf_fonts.0, &config.pdf_fonts.1)?;
    Ok(FONTS.get_or_init(|| loaded))
}

/// The text of a PDF as `pdftotext` reads it (what a screen reader or a search finds).
#[cfg(test)]
pub(crate) fn pdf_text(pdf: &[u8], layout: bool) -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("pdf-test-{}-{n}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = std::process::Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd.arg(&path).arg("-").output().expect("pdftotext (scripts/setup.sh installs poppler-utils)");
    std::fs::remove_file(&path).unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;
    use std::sync::OnceLock;

    const REGULAR: &str = crate::backend::platform::config::DEFAULT_PDF_FONTS.0;
    const BOLD: &str = crate::backend::platform::config::DEFAULT_PDF_FONTS.1;

    fn fonts() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::load(Path::new(REGULAR), Path::new(BOLD)).unwrap())
    }

    fn yen(n: u32) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out + "円"
    }

    const COLUMNS: [Column; 7] = [
        Column { title: "療養を受けた年月", width_mm: 22.0, align: Align::Left },
        Column { title: "療養を受けた者", width_mm: 24.0, align: Align::Left },
        Column { title: "医療機関等の名称", width_mm: 56.0, align: Align::Left },
        Column { title: "区分", width_mm: 12.0, align: Align::Left },
        Column { title: "日数", width_mm: 12.0, align: Align::Right },
        Column { title: "医療費の額", width_mm: 26.0, align: Align::Right },
        Column { title: "被保険者等が支払った額", width_mm: 28.0, align: Align::Right },
    ];

    fn sample_rows(count: usize) -> Vec<Vec<String>> {
        let people = ["山田 太郎", "山田 花子", "山田 一郎", "佐々木 美咲", "髙橋 健太", "渡邉 さくら"];
        let places = [
            "医療法人社団 さくら会 みなと内科クリニック",
            "さくら薬局 駅前店",
            "国立病院機構 東京医療センター",
            "みどり歯科医院",
            "社会医療法人 青葉会 青葉総合病院 整形外科・リハビリテーション科",
            "ひまわり調剤薬局",
        ];
        let kinds = ["外来", "入院", "調剤", "歯科"];
        let (mut rows, mut subtotal, mut total) = (Vec::new(), (0, 0), (0, 0));
        for i in 0..count {
            let fee = if i % 7 == 0 { 12_340 } else { 1_000 + (i as u32 * 7_919) % 250_000 };
            let paid = fee * 3 / 10;
            subtotal = (subtotal.0 + fee, subtotal.1 + paid);
            rows.push(vec![
                format!("2026年{}月", i % 12 + 1),
                people[i % people.len()].to_string(),
                places[(i / 2) % places.len()].to_string(),
                kinds[i % kinds.len()].to_string(),
                (i % 30 + 1).to_string(),
                yen(fee),
                yen(paid),
            ]);
            if (i + 1) % 50 == 0 {
                total = (total.0 + subtotal.0, total.1 + subtotal.1);
                let cells = ["小計", "", "", "", "", &yen(subtotal.0), &yen(subtotal.1)];
                rows.push(cells.map(String::from).to_vec());
                subtotal = (0, 0);
            }
        }
        let cells = ["合計", "", "", "", "", &yen(total.0 + subtotal.0), &yen(total.1 + subtotal.1)];
        rows.push(cells.map(String::from).to_vec());
        rows
    }

    const PARAGRAPH: &str = "このお知らせは、健康保険組合が医療機関等から受け取った診療報酬明細書（レセプト）をもとに、\
        あなたとご家族が令和八年中に受けた医療の内容と医療費の額をお知らせするものです。\
        確定申告で医療費控除を受ける際には、この通知を医療費の明細書に代えて添付することができます。\
        ただし、通知に記載されていない医療費や、記載内容と実際に支払った額が異なる場合は、\
        領収書等をもとにご自身で明細書を作成してください。なお、被保険者等が支払った額は、\
        高額療養費や付加給付などの払い戻しを反映していない場合があります。\
        内容に心当たりのない記載がある場合や、ご不明な点がございましたら、\
        お手数ですが下記の担当窓口までお問い合わせください。\n\
        個人情報保護のため、記号・番号の一部を伏せ字で表示しています。";

    fn sample(rows: &[Vec<String>]) -> Vec<u8> {
        sample_document(fonts(), rows).finish().unwrap()
    }

    fn sample_document<'f>(fonts: &'f Fonts, rows: &[Vec<String>]) -> Document<'f> {
        let mut doc = Document::new(fonts, "医療費のお知らせ（2026年分）", "ミライ健康保険組合　東京都港区芝浦一丁目1番1号");
        doc.fields(&[("被保険者等の氏名", "山田 太郎"), ("記号・番号", "12-****"), ("保険者の名称", "ミライ健康保険組合")]);
        doc.heading("ご案内");
        doc.paragraph(PARAGRAPH);
        doc.heading("療養の明細");
        doc.table(&COLUMNS, rows);
        doc
    }

    fn run(cmd: &str, args: &[&str]) -> String {
        let out = Command::new(cmd).args(args).output().unwrap();
        assert!(out.status.success(), "{cmd} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn write(name: &str, pdf: &[u8]) -> String {
        let dir = std::env::temp_dir().join(format!("pdf-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.pdf")).to_string_lossy().into_owned();
        std::fs::write(&path, pdf).unwrap();
        path
    }

    fn page_count(path: &str) -> usize {
        let info = run("pdfinfo", &[path]);
        let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        line["Pages:".len()..].trim().parse().unwrap()
    }

    #[test]
    fn fonts_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Fonts>();
    }

    #[test]
    fn japanese_face_is_found_by_name() {
        for path in [REGULAR, BOLD] {
            let data = std::fs::read(path).unwrap();
            let index = japanese_face(&data).unwrap();
            let FileRef::Collection(collection) = FileRef::new(&data).unwrap() else { panic!("not a TTC") };
            let families: Vec<_> = (0..collection.len()).map(|i| family_name(&collection.get(i).unwrap()).unwrap()).collect();
            println!("{path}: chosen {index}; faces {families:?}");
            assert_eq!(families[index as usize], "Noto Sans CJK JP");
        }
    }

    #[test]
    fn sample_document_is_extractable() {
        let path = write("out", &sample(&sample_rows(400)));
        let text = run("pdftotext", &["-layout", &path, "-"]);
        let pages = page_count(&path);
        assert!(pages > 1);
        for needle in [
            "医療費のお知らせ（2026年分）",
            "被保険者等の氏名",
            "ミライ健康保険組合",
            "さくら薬局 駅前店",
            "医療法人社団 さくら会",
            "12,340円",
            "合計",
            &format!("2 / {pages} ページ"),
        ] {
            assert!(text.contains(needle), "{needle:?} not extracted");
        }
        // Wrapped cells continue on the next line; the plain (non-layout) text
        // shows the long facility name in one piece per line.
        let plain = run("pdftotext", &[&path, "-"]);
        assert!(plain.contains("みなと内科クリニック"));
    }

    #[test]
    fn sizes() {
        let big = sample(&sample_rows(400));
        let small = sample(&sample_rows(5));
        let (big_path, small_path) = (write("out400", &big), write("out5", &small));
        println!(
            "400 rows: {} bytes, {} pages; 5 rows: {} bytes, {} pages",
            big.len(),
            page_count(&big_path),
            small.len(),
            page_count(&small_path)
        );
        assert_eq!(page_count(&small_path), 1);
        assert!(big.len() <= 200 * 1024);
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let mut doc = Document::new(fonts(), "", "");
        doc.heading("");
        doc.paragraph("");
        doc.paragraph("\n\n");
        doc.paragraph(&"あ".repeat(5000));
        doc.paragraph(&"W".repeat(500));
        doc.paragraph("欠けた文字: 😀 \u{10FFFF} \u{E000} タブ\tと\r\n改行");
        doc.fields(&[]);
        doc.fields(&[("", ""), (&"長".repeat(300), &"値".repeat(300))]);
        doc.table(&[], &[vec!["x".into()]]);
        doc.table(&COLUMNS, &[]);
        doc.table(&COLUMNS[..2], &[vec![], vec!["合計".into(), "a".into(), "extra".into()]]);
        // A cell taller than a page has to be split across pages.
        doc.table(&COLUMNS[..3], &[vec!["小計".into(), "長".repeat(3000), String::new()]]);
        doc.table(&[Column { title: "狭", width_mm: 0.5, align: Align::Right }], &[vec!["狭い".into()]]);
        doc.space(-5.0);
        doc.space(1000.0);
        doc.paragraph("最後");
        let path = write("edge", &doc.finish().unwrap());
        let text = run("pdftotext", &[&path, "-"]);
        assert!(text.contains("最後") && text.contains("改行"));
    }
}
