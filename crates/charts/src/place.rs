//! Where the labels of a chart's points go: beside their point where that is clear of the
//! drawn lines, the other points and the labels already placed, otherwise a step up or down
//! with a leader line back, and left out when no place within reach is clear of the other
//! labels. Pure pixel geometry, so it is tested without drawing.

/// A box in pixels: top-left corner and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LabelBox {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

impl LabelBox {
    pub fn overlaps(&self, o: &LabelBox) -> bool {
        self.x < o.x + o.width
            && o.x < self.x + self.width
            && self.y < o.y + o.height
            && o.y < self.y + self.height
    }

    fn inside(&self, o: &LabelBox) -> bool {
        self.x >= o.x
            && self.y >= o.y
            && self.x + self.width <= o.x + o.width
            && self.y + self.height <= o.y + o.height
    }

    /// The box grown by `m` pixels on every side.
    fn grown(&self, m: i32) -> LabelBox {
        LabelBox {
            x: self.x - m,
            y: self.y - m,
            width: self.width + 2 * m,
            height: self.height + 2 * m,
        }
    }

    /// Whether the segment from `a` to `b` passes through the box (Liang–Barsky clipping).
    fn crossed_by(&self, a: (i32, i32), b: (i32, i32)) -> bool {
        let (x0, y0) = (f64::from(a.0), f64::from(a.1));
        let (dx, dy) = (f64::from(b.0) - x0, f64::from(b.1) - y0);
        let (left, top) = (f64::from(self.x), f64::from(self.y));
        let (right, bottom) = (left + f64::from(self.width), top + f64::from(self.height));
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, x0 - left),
            (dx, right - x0),
            (-dy, y0 - top),
            (dy, bottom - y0),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// Space between a point and its label, and between a label and what it keeps clear of.
const GAP: i32 = 10;
/// How many label heights a label may move up or down from its point.
const REACH: i32 = 12;
/// How many steps of [`SHIFT`] pixels a label may move away from its point sideways, so
/// that its leader passes beside the labels placed before it.
const SHIFTS: i32 = 4;
const SHIFT: i32 = 30;
/// How far a label keeps from a point, so that it is not read as that point's.
const CLEAR: i32 = 10;

/// The chart's labels as they are placed, and what they must keep clear of.
pub(crate) struct Placer {
    /// The plot area: labels stay inside it.
    bounds: LabelBox,
    /// Drawn lines, as segments in pixels: a label may cross one, at a price.
    segments: Vec<((i32, i32), (i32, i32))>,
    /// Drawn points (markers) and other boxes no label may cover.
    keep_clear: Vec<LabelBox>,
    placed: Vec<LabelBox>,
}

/// A label placed: its box, and whether it is far enough from its point to need a leader.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Placed {
    pub label: LabelBox,
    pub leader: bool,
}

impl Placer {
    pub fn new(bounds: LabelBox) -> Placer {
        Placer {
            bounds,
            segments: Vec::new(),
            keep_clear: Vec::new(),
            placed: Vec::new(),
        }
    }

    /// A drawn line through `points` (in pixels, in drawing order).
    pub fn line(&mut self, points: &[(i32, i32)]) {
        self.segments
            .extend(points.windows(2).map(|w| (w[0], w[1])));
    }

    /// A marker of `radius` pixels at `at`.
    pub fn point(&mut self, at: (i32, i32), radius: i32) {
        self.keep_clear.push(LabelBox {
            x: at.0 - radius,
            y: at.1 - radius,
            width: 2 * radius,
            height: 2 * radius,
        });
    }

    /// A box no label may cover (another text drawn on the plot).
    pub fn block(&mut self, b: LabelBox) {
        self.keep_clear.push(b);
    }

    /// Places a label `width` × `height` for the point at `anchor`, preferring its right
    /// (`right`) or left side. Beside the point first; otherwise the candidate that crosses
    /// the fewest lines, then the nearest. `None` when every place within reach overlaps a
    /// label already placed, covers a point or leaves the plot.
    pub fn place(
        &mut self,
        anchor: (i32, i32),
        width: i32,
        height: i32,
        right: bool,
    ) -> Option<Placed> {
        let step = height + 2;
        let sides = if right { [true, false] } else { [false, true] };
        let mut best: Option<(i32, Placed)> = None;
        for k in 0..=REACH {
            for (dir, shift) in (-1..=1)
                .step_by(2)
                .flat_map(|d| (0..SHIFTS).map(move |j| (d, j)))
            {
                if k == 0 && dir == 1 {
                    continue;
                }
                for (s, &on_right) in sides.iter().enumerate() {
                    let x = if on_right {
                        anchor.0 + GAP + shift * SHIFT
                    } else {
                        anchor.0 - GAP - width - shift * SHIFT
                    };
                    let y = anchor.1 - height / 2 + dir * k * step;
                    let label = LabelBox {
                        x,
                        y,
                        width,
                        height,
                    };
                    let leader = (k > 0 || shift > 0).then(|| leader(anchor, &label));
                    let Some(crossings) = self.crossings(&label, leader) else {
                        continue;
                    };
                    // A crossed line costs more than any move within reach; a step up or
                    // down more than a step aside or the other side; down a little more
                    // than up.
                    let cost = crossings
                        + k * 20
                        + shift * 15
                        + i32::from(dir == 1)
                        + i32::try_from(s).unwrap_or(1) * 10;
                    if best.is_none_or(|(c, _)| cost < c) {
                        let leader = leader.is_some();
                        best = Some((cost, Placed { label, leader }));
                    }
                }
            }
            if best.is_some_and(|(c, _)| c < 200) {
                break;
            }
        }
        let (_, placed) = best?;
        self.placed.push(placed.label);
        // Later labels keep off this one's leader as off any drawn line.
        if placed.leader {
            self.segments.push(leader(anchor, &placed.label));
        }
        Some(placed)
    }

    /// What a place costs: 1,000 for each line the label crosses and each label its leader
    /// (when it needs one) crosses, 200 for each line the leader crosses, and a little for
    /// the leader's length; `None` when the label may not go there at all (off the plot, on
    /// a label, on or beside another point).
    fn crossings(&self, label: &LabelBox, leader: Option<((i32, i32), (i32, i32))>) -> Option<i32> {
        if !label.inside(&self.bounds)
            || self.placed.iter().any(|p| p.grown(2).overlaps(label))
            || self
                .keep_clear
                .iter()
                .any(|p| p.grown(CLEAR).overlaps(label))
        {
            return None;
        }
        let near = label.grown(2);
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX / 2000);
        let lines = self
            .segments
            .iter()
            .filter(|(a, b)| near.crossed_by(*a, *b))
            .count();
        let Some((from, to)) = leader else {
            return Some(count(lines) * 1000);
        };
        let labels = self
            .placed
            .iter()
            .filter(|p| p.crossed_by(from, to))
            .count();
        // The leader leaves its point's own lines: crossings within a marker's reach of the
        // point are not counted.
        let (dx, dy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
        let length = dx.hypot(dy);
        let start = if length > 12.0 {
            (
                from.0 + (dx * 12.0 / length).round() as i32,
                from.1 + (dy * 12.0 / length).round() as i32,
            )
        } else {
            to
        };
        let crossed = self
            .segments
            .iter()
            .filter(|(a, b)| segments_cross((start, to), (*a, *b)))
            .count();
        Some(count(lines + labels) * 1000 + count(crossed) * 200 + (length / 10.0) as i32)
    }
}

/// Whether two segments meet (touching counts).
fn segments_cross(p: ((i32, i32), (i32, i32)), q: ((i32, i32), (i32, i32))) -> bool {
    let turn = |a: (i32, i32), b: (i32, i32), c: (i32, i32)| {
        let v = i64::from(b.0 - a.0) * i64::from(c.1 - a.1)
            - i64::from(b.1 - a.1) * i64::from(c.0 - a.0);
        v.signum()
    };
    let within = |a: (i32, i32), b: (i32, i32), c: (i32, i32)| {
        c.0 >= a.0.min(b.0) && c.0 <= a.0.max(b.0) && c.1 >= a.1.min(b.1) && c.1 <= a.1.max(b.1)
    };
    let (d1, d2) = (turn(q.0, q.1, p.0), turn(q.0, q.1, p.1));
    let (d3, d4) = (turn(p.0, p.1, q.0), turn(p.0, p.1, q.1));
    (d1 * d2 < 0 && d3 * d4 < 0)
        || (d1 == 0 && within(q.0, q.1, p.0))
        || (d2 == 0 && within(q.0, q.1, p.1))
        || (d3 == 0 && within(p.0, p.1, q.0))
        || (d4 == 0 && within(p.0, p.1, q.1))
}

/// The leader from a point to its label: to the middle of the label's near side.
pub(crate) fn leader(anchor: (i32, i32), label: &LabelBox) -> ((i32, i32), (i32, i32)) {
    let edge = if label.x + label.width / 2 < anchor.0 {
        label.x + label.width
    } else {
        label.x
    };
    (anchor, (edge, label.y + label.height / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot() -> LabelBox {
        LabelBox {
            x: 0,
            y: 0,
            width: 1000,
            height: 600,
        }
    }

    #[test]
    fn a_label_with_room_goes_beside_its_point() {
        let mut p = Placer::new(plot());
        let got = p.place((100, 300), 120, 17, true).unwrap();
        assert_eq!(got.label.x, 110);
        assert_eq!(got.label.y, 300 - 8);
        assert!(!got.leader);
        // Near the right edge the left side is the one that fits.
        let got = p.place((980, 300), 120, 17, true).unwrap();
        assert_eq!(got.label.x, 980 - 10 - 120);
    }

    #[test]
    fn a_label_moves_off_a_line_and_off_other_labels() {
        let mut p = Placer::new(plot());
        // A line through the right of the point, level with it: the label goes left.
        p.line(&[(300, 300), (600, 300)]);
        let got = p.place((300, 300), 120, 17, true).unwrap();
        assert!(got.label.x + got.label.width <= 300, "{got:?}");
        assert!(!got.leader);
        // A second point at the same place finds a row of its own, with a leader.
        let again = p.place((300, 300), 120, 17, false).unwrap();
        assert!(!again.label.overlaps(&got.label));
        assert!(again.leader);
    }

    #[test]
    fn no_label_covers_a_point_or_leaves_the_plot() {
        let mut p = Placer::new(plot());
        p.point((140, 300), 8);
        let got = p.place((100, 300), 120, 17, true).unwrap();
        let dot = LabelBox {
            x: 132,
            y: 292,
            width: 16,
            height: 16,
        };
        assert!(!got.label.overlaps(&dot));
        assert!(got.label.inside(&plot()));
    }

    #[test]
    fn labels_that_find_no_room_are_left_out() {
        let mut p = Placer::new(LabelBox {
            x: 0,
            y: 0,
            width: 300,
            height: 40,
        });
        assert!(p.place((150, 20), 120, 17, true).is_some());
        assert!(p.place((150, 20), 120, 17, true).is_some());
        assert!(p.place((150, 20), 120, 17, true).is_none());
    }

    #[test]
    fn segments_are_told_crossing_from_passing() {
        let b = LabelBox {
            x: 10,
            y: 10,
            width: 20,
            height: 10,
        };
        assert!(b.crossed_by((0, 15), (40, 15)));
        assert!(b.crossed_by((0, 0), (40, 30)));
        assert!(!b.crossed_by((0, 0), (40, 0)));
        assert!(!b.crossed_by((0, 30), (5, 0)));
        assert!(b.crossed_by((15, 12), (16, 13)));
        assert!(segments_cross(((0, 0), (10, 10)), ((0, 10), (10, 0))));
        assert!(!segments_cross(((0, 0), (10, 0)), ((0, 5), (10, 5))));
        assert!(segments_cross(((0, 0), (10, 0)), ((5, 0), (5, 5))));
        assert!(!segments_cross(((0, 0), (4, 4)), ((5, 5), (9, 9))));
    }
}
