//! The PNG backend: plotters' bitmap backend, with text set on one baseline.
//!
//! plotters 0.3.7 places each glyph at `(size / 2 + top) as i32`, which truncates toward
//! zero: a glyph whose top lies above that line (a digit) is moved down half a pixel and one
//! below it (a full stop) up half a pixel, so at the sizes charts use "$66.65" read as
//! "$66·65". This backend draws every other shape through the bitmap backend, and text with
//! the same layout, glyphs and anchoring, each glyph's top rounded down, so that every glyph
//! of a line shares its baseline.

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use crate::FONT_BYTES;

/// Plotters' bitmap backend, drawing text on a shared baseline.
pub(crate) struct Png<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

impl<'a> Png<'a> {
    /// `None` only if the embedded font did not parse, which a test rules out.
    pub(crate) fn new(inner: BitMapBackend<'a>) -> Option<Self> {
        let font = FontRef::try_from_slice(FONT_BYTES).ok()?;
        Some(Png { inner, font })
    }
}

type Error<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Png<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error<'a>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error<'a>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error<'a>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), Error<'a>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// As plotters' own `draw_text` (the layout box, the anchor, the rotation), with the
    /// glyphs drawn by [`glyphs`].
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), Error<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        let mut result = Ok(());
        glyphs(&self.font, style.size(), text, |x, y, coverage| {
            if result.is_err() {
                return;
            }
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                result = self.inner.draw_pixel((x, y), color.mix(coverage.into()));
            }
        });
        result
    }
}

/// Calls `pixel(x, y, coverage)` for every pixel of `text` set in `font` at `size` pixels,
/// with plotters' metrics (kerning, advances, the baseline at half the size), every glyph's
/// top rounded down rather than toward zero.
fn glyphs(font: &FontRef<'_>, size: f64, text: &str, mut pixel: impl FnMut(i32, i32, f32)) {
    let scaled = font.as_scaled(size as f32);
    let baseline = size as f32 / 2.0;
    let mut x_advance = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x_advance += scaled.kern(p, id);
        }
        previous = Some(id);
        if let Some(outline) = scaled.outline_glyph(scaled.scaled_glyph(c)) {
            let bounds = outline.px_bounds();
            let top = (baseline + bounds.min.y).floor() as i32;
            let left = x_advance as i32;
            outline.draw(|x, y, coverage| pixel(x as i32 + left, y as i32 + top, coverage));
        }
        x_advance += scaled.h_advance(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lowest row each character of `text` reaches at `size`.
    fn bottoms(text: &str, size: f64) -> Vec<i32> {
        let font = FontRef::try_from_slice(FONT_BYTES).unwrap();
        text.chars()
            .map(|c| {
                let mut bottom = i32::MIN;
                glyphs(&font, size, &c.to_string(), |_, y, coverage| {
                    if coverage > 0.5 {
                        bottom = bottom.max(y);
                    }
                });
                bottom
            })
            .collect()
    }

    /// A full stop sits on the digits' baseline at every size charts use: plotters' own
    /// placement lifted it by a pixel at odd sizes.
    #[test]
    fn a_full_stop_sits_on_the_digits_baseline() {
        for size in 9..=26 {
            let b = bottoms("6.5", f64::from(size));
            assert!(b[1] == b[0] && b[1] == b[2], "size {size}: bottoms {b:?}");
        }
    }
}
