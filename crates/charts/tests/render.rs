//! Every chart kind drawn from fixed data: the SVG is a golden file (numbers rounded so float
//! noise in plotters' layout does not churn it), and the PNG decodes to the asked size and is
//! not blank.

use ladderwise_charts::{
    BreakdownData, Chart, ChoiceData, HitRateData, LadderData, LadderRung, Series, TornadoBar,
    TornadoData, WaterfallData, render_png, render_svg,
};

fn rung(name: &str, height: u32, kbps: f64, cost: Option<f64>) -> LadderRung {
    LadderRung {
        name: name.into(),
        height,
        kbps,
        codec: "avc".into(),
        monthly_usd: cost,
        lower_bound: false,
    }
}

fn charts() -> Vec<(&'static str, Chart)> {
    let rates: Vec<f64> = (0..=20).map(|i| i as f64 / 20.0).collect();
    vec![
        (
            "ladder",
            Chart::Ladder(LadderData {
                title: "Test ladder".into(),
                rungs: vec![
                    rung("720p", 720, 3000.0, Some(9400.0)),
                    rung("360p", 360, 800.0, None),
                ],
                references: vec![(
                    "Reference".into(),
                    vec![rung("a", 234, 145.0, None), rung("b", 1080, 6000.0, None)],
                )],
            }),
        ),
        (
            "cache_hit_rate",
            Chart::CacheHitRate(HitRateData {
                title: "Test hit rate".into(),
                components: vec![
                    ("transfer".into(), rates.iter().map(|_| 1000.0).collect()),
                    (
                        "origin".into(),
                        rates.iter().map(|r| 500.0 * (1.0 - r)).collect(),
                    ),
                ],
                direct_s3: rates.iter().map(|_| 1200.0).collect(),
                rates,
                scenario_rate: Some(0.9),
                break_even: Some(0.6),
                notes: vec!["a note".into()],
            }),
        ),
        (
            "choice",
            Chart::Choice(ChoiceData {
                title: "Test choice".into(),
                x_label: "minutes".into(),
                series: vec![
                    Series {
                        name: "cheap then dear".into(),
                        points: vec![(0.0, 0.0), (100.0, 300.0)],
                        dashed: false,
                        colour: 0,
                    },
                    Series {
                        name: "fixed".into(),
                        points: vec![(0.0, 150.0), (100.0, 150.0)],
                        dashed: true,
                        colour: 1,
                    },
                ],
                break_evens: vec![(50.0, 150.0, "equal at 50".into())],
                marker: Some((70.0, "this scenario".into())),
                notes: vec![],
            }),
        ),
        (
            "breakdown",
            Chart::Breakdown(BreakdownData {
                title: "Test breakdown".into(),
                stages: vec![("transcode".into(), 1350.0), ("delivery".into(), 11200.0)],
                unpriced_stages: Vec::new(),
                rung_components: vec!["transcode".into(), "delivery".into()],
                colours: vec![("transcode".into(), 0), ("delivery".into(), 2)],
                rungs: vec![
                    ("720p".into(), vec![Some(900.0), Some(9400.0)]),
                    ("360p".into(), vec![Some(450.0), None]),
                ],
                notes: vec!["total".into()],
            }),
        ),
        (
            "waterfall",
            Chart::Waterfall(WaterfallData {
                not_drawn: None,
                title: "Test waterfall".into(),
                start: ("A: before".into(), 10_000.0),
                steps: vec![
                    ("ladder".into(), -2_500.0),
                    ("hit rate".into(), 400.0),
                    ("other (3)".into(), -37.5),
                ],
                end: ("B: after".into(), 7_862.5),
                notes: vec!["a note".into()],
            }),
        ),
        (
            "tornado",
            Chart::Tornado(TornadoData {
                title: "Test tornado".into(),
                base: 10_000.0,
                base_complete: true,
                bars: vec![
                    TornadoBar {
                        label: "watch minutes".into(),
                        low_total: 8_000.0,
                        high_total: 12_000.0,
                        low_value: "80".into(),
                        high_value: "120".into(),
                    },
                    TornadoBar {
                        label: "hit rate".into(),
                        low_total: 10_900.0,
                        high_total: 9_700.0,
                        low_value: "0.76".into(),
                        high_value: "1".into(),
                    },
                    TornadoBar {
                        label: "both higher".into(),
                        low_total: 10_100.0,
                        high_total: 10_300.0,
                        low_value: "1".into(),
                        high_value: "3".into(),
                    },
                ],
                notes: vec!["a note".into()],
            }),
        ),
    ]
}

/// Rounds every decimal number in the text to one place. A number is digits with at most
/// a point followed by more digits, not inside a word: `www.w3.org` stays as it is.
fn normalise(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let chars: Vec<char> = svg.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let in_word = i > 0 && (chars[i - 1].is_ascii_alphabetic() || chars[i - 1] == '_');
        if chars[i].is_ascii_digit() && !in_word {
            let start = i;
            let mut point = false;
            while i < chars.len() {
                let digit_after = chars.get(i + 1).is_some_and(char::is_ascii_digit);
                match chars[i] {
                    c if c.is_ascii_digit() => i += 1,
                    '.' if !point && digit_after => {
                        point = true;
                        i += 1;
                    }
                    _ => break,
                }
            }
            let token: String = chars[start..i].iter().collect();
            match token.parse::<f64>() {
                Ok(v) if token.contains('.') => out.push_str(&format!("{v:.1}")),
                _ => out.push_str(&token),
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The text of `svg` between the first `open` and the `close` after it.
fn between<'a>(svg: &'a str, open: &str, close: &str) -> &'a str {
    let from = svg.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    &svg[from..from + svg[from..].find(close).unwrap()]
}

#[test]
fn svgs_match_their_goldens() {
    for (name, chart) in charts() {
        let svg = render_svg(&chart, (1200, 700)).unwrap();
        assert!(svg.starts_with("<svg"), "{name}");
        assert!(svg.contains("<text"), "{name}: no text drawn");
        // The picture in words for a screen reader: named, described, with its figures.
        let head = &svg[..svg.find('>').unwrap()];
        assert!(head.contains("role=\"img\""), "{name}: {head}");
        let desc = between(&svg, "<desc>", "</desc>");
        assert!(desc.contains('$'), "{name}: no amount in {desc}");
        assert_eq!(
            between(&svg, "<title>", "</title>"),
            chart.title(),
            "{name}"
        );
        insta::assert_snapshot!(format!("svg_{name}"), normalise(&svg));
    }
}

#[test]
fn pngs_decode_to_their_size_and_are_not_blank() {
    for (name, chart) in charts() {
        let bytes = render_png(&chart, (1000, 600)).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), (1000, 600), "{name}");
        let pixels = &pixels[..info.buffer_size()];
        // The chart in words travels with the picture.
        let text: Vec<(String, String)> = reader
            .info()
            .utf8_text
            .iter()
            .map(|t| (t.keyword.clone(), t.get_text().unwrap()))
            .collect();
        assert_eq!(
            text,
            vec![
                ("Title".to_string(), chart.title().to_string()),
                ("Description".to_string(), chart.description())
            ],
            "{name}"
        );
        // A drawn chart has white background, black text and several palette colours.
        let mut colours: Vec<[u8; 3]> = pixels.chunks(3).map(|p| [p[0], p[1], p[2]]).collect();
        colours.sort();
        colours.dedup();
        assert!(colours.len() > 20, "{name}: only {} colours", colours.len());
        let dark = pixels
            .chunks(3)
            .filter(|p| p.iter().all(|c| *c < 60))
            .count();
        assert!(
            dark > 500,
            "{name}: almost no text or axes ({dark} dark pixels)"
        );
    }
}

#[test]
fn sizes_out_of_range_are_refused() {
    let (_, chart) = charts().remove(0);
    let err = render_svg(&chart, (10, 10)).unwrap_err();
    assert!(err.to_string().contains("hint:"));
}

/// Break-even labels that cannot all fit between the axis and the top of a small chart are
/// left out, and the axis says how many, rather than stacked over the title.
#[test]
fn labels_that_do_not_fit_are_left_out_and_counted() {
    let chart = Chart::Choice(ChoiceData {
        title: "Twenty-four break-evens on one line".into(),
        x_label: "TB".into(),
        series: vec![Series {
            name: "a line".into(),
            points: vec![(0.0, 0.0), (100.0, 100.0)],
            dashed: false,
            colour: 0,
        }],
        break_evens: (1..=24)
            .map(|i| {
                let x = f64::from(i) * 4.0;
                (x, x, format!("break-even number {i}"))
            })
            .collect(),
        marker: None,
        notes: vec![],
    });
    let small = render_svg(&chart, (640, 400)).unwrap();
    assert!(small.contains("label(s) left out for room)"), "{small}");
    let drawn = (1..=24)
        .filter(|i| {
            small.contains(&format!("break-even number {i}<"))
                || small.contains(&format!("break-even number {i}\n"))
        })
        .count();
    assert!(drawn < 24, "every label drawn on the small chart");
    let large = render_svg(&chart, (1600, 1200)).unwrap();
    assert!(!large.contains("left out for room"));
}

/// A waterfall whose running total passes below $0 (shares averaged over every order of the
/// changes can) draws the axis down to it and says why, rather than cutting the bar off.
#[test]
fn a_running_total_below_zero_is_drawn_and_explained() {
    let chart = Chart::Waterfall(WaterfallData {
        not_drawn: None,
        title: "Below zero on the way".into(),
        start: ("A: tiny".into(), 0.57),
        steps: vec![
            ("new minutes".into(), -53_718.0),
            ("watch time".into(), 1_210_000.0),
        ],
        end: ("B: huge".into(), 1_156_282.57),
        notes: vec![],
    });
    let svg = render_svg(&chart, (1200, 700)).unwrap();
    assert!(svg.contains("passes below $0"), "the note is missing");
    // The $0 tick stands well right of the plot's left edge (the row names end there), and
    // the axis does not run far past the lowest total.
    let x_of = |text: &str| -> i32 {
        let at = svg.find(&format!(">\n{text}\n")).unwrap();
        let open = svg[..at].rfind("<text x=\"").unwrap() + 9;
        svg[open..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(x_of("$0") > x_of("A: tiny") + 60, "the axis starts at $0");
    assert!(
        !svg.contains("-$1.0M"),
        "the axis goes far past the lowest total"
    );
}

/// The ladder says its labels go to the costliest rungs only when they do: at a small size
/// the costliest rung, in the plot's top corner, may have no room for its label.
#[test]
fn the_ladder_claims_costliest_first_only_when_true() {
    let heights = [
        144, 180, 234, 270, 360, 432, 540, 576, 720, 900, 1080, 1440, 2160, 2880, 3600, 4320,
    ];
    // The costliest rung far above the others, with a long name: its label has no room in
    // the top corner of a small chart.
    let long = "4320p 8K HDR10 flagship rendition for cinema-grade displays";
    let rungs: Vec<LadderRung> = heights
        .iter()
        .map(|h| {
            let (name, kbps) = if *h == 4320 {
                (long.to_string(), 80_000.0)
            } else {
                (format!("{h}p"), f64::from(*h) * 4.0)
            };
            rung(&name, *h, kbps, Some(kbps * 0.3))
        })
        .collect();
    let mut claims = 0;
    for size in [(640, 400), (800, 500), (1200, 700), (2400, 1600)] {
        let chart = Chart::Ladder(LadderData {
            title: "Sixteen rungs".into(),
            rungs: rungs.clone(),
            references: vec![],
        });
        let svg = render_svg(&chart, size).unwrap();
        // The drawing's text, not its description (which names every rung).
        let desc = between(&svg, "<desc>", "</desc>");
        let drawn = svg.replace(desc, "");
        if drawn.contains("costliest first") {
            claims += 1;
            assert!(
                drawn.contains("4320p 8K"),
                "{size:?}: claims costliest first without it"
            );
        } else if drawn.contains("rungs named") {
            assert!(drawn.contains("as room allows"), "{size:?}");
        }
    }
    assert!(
        claims < 4,
        "the costliest label always fitted: the test tests nothing"
    );
}

/// The money on a drawn axis reads as different amounts at every tick, for the axis tops
/// where plotters' own label count and the labels' decimals could disagree: a line to
/// $4,522 has an axis to $5.2k with ticks $500 apart, which read `$2k` three times.
#[test]
fn a_drawn_money_axis_repeats_no_label() {
    for top in [4522.0, 452.2, 45_220.0, 1_300.0, 9_000.0, 61_000.0] {
        let chart = Chart::Choice(ChoiceData {
            title: "An axis".into(),
            x_label: "minutes".into(),
            series: vec![Series {
                name: "a line".into(),
                points: vec![(0.0, 0.0), (100.0, top)],
                dashed: false,
                colour: 0,
            }],
            break_evens: vec![],
            marker: None,
            notes: vec![],
        });
        let svg = render_svg(&chart, (1200, 700)).unwrap();
        let labels: Vec<&str> = svg
            .split('>')
            .filter_map(|part| part.split('<').next())
            .map(str::trim)
            .filter(|text| text.starts_with('$'))
            .collect();
        assert!(labels.len() >= 5, "{top}: {labels:?}");
        let mut distinct = labels.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), labels.len(), "{top}: {labels:?}");
    }
}

/// A tornado of a month of cents writes its bars' totals apart (not `$0.07` at every end),
/// and an incomplete scenario's total as a lower bound.
#[test]
fn a_tornado_of_cents_tells_its_totals_apart() {
    let chart = Chart::Tornado(TornadoData {
        title: "Cents".into(),
        base: 0.0712,
        base_complete: false,
        bars: vec![
            TornadoBar {
                label: "watch minutes".into(),
                low_total: 0.0671,
                high_total: 0.0753,
                low_value: "80".into(),
                high_value: "120".into(),
            },
            TornadoBar {
                label: "hit rate".into(),
                low_total: 0.0715,
                high_total: 0.0709,
                low_value: "0.76".into(),
                high_value: "1".into(),
            },
        ],
        notes: vec![],
    });
    let svg = render_svg(&chart, (1200, 500)).unwrap();
    for text in [
        "this scenario: ≥ $0.0712",
        "≥ $0.0671",
        "≥ $0.0753",
        "≥ $0.0715",
        "≥ $0.0709",
    ] {
        assert!(svg.contains(text), "{text} in {svg}");
    }
}

/// Event labels of a forecast stay a line of text apart and inside the plot: on a small
/// chart the ones with no room are left out and named in the notes, not piled on one
/// another, on the title or past the left edge.
#[test]
fn a_small_forecast_leaves_out_the_event_labels_it_has_no_room_for() {
    let months: Vec<String> = (1..=24).map(|m| format!("2027-{m:02}")).collect();
    let flat = vec![100.0; 24];
    let chart = |size: (u32, u32)| {
        let data = ladderwise_charts::ForecastData {
            title: "Events".into(),
            months: months.clone(),
            services: vec![("S3".into(), flat.clone())],
            colours: vec![("S3".into(), 1)],
            p10: flat.clone(),
            p50: flat.clone(),
            p90: flat.clone(),
            uncertain: false,
            budget: None,
            events: (0..6)
                .map(|i| (10 + i, format!("a long label for event number {i} of six")))
                .collect(),
            currency: None,
            notes: vec![],
        };
        render_svg(&Chart::Forecast(data), size).unwrap()
    };
    let small = chart((640, 420));
    assert!(
        small.contains("Event label(s) left out for room"),
        "{small}"
    );
    let drawn = (0..6)
        .filter(|i| small.contains(&format!("a long label for event number {i} of six\n")))
        .count();
    assert!(drawn < 6, "{drawn}");
    let large = chart((1600, 1000));
    assert!(!large.contains("left out for room"));
}
