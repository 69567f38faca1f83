//! `--chart FILE.svg`: each pool's assets and share price over the steps, and
//! each resolved bankruptcy as a bar split into insurance paid, socialised and
//! unrecovered.

use crate::report::Report;

const WIDTH: f64 = 960.0;
const PANEL_H: f64 = 220.0;
const LEFT: f64 = 90.0;
const RIGHT: f64 = 30.0;
const COLORS: &[&str] = &[
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A line panel: one series per pool, scaled to its own maximum.
fn line_panel(
    out: &mut String,
    top: f64,
    title: &str,
    steps: usize,
    series: &[(String, Vec<(usize, f64)>)],
    unit: &str,
) {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = PANEL_H - 60.0;
    let y0 = top + 30.0;
    out.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        top + 18.0,
        esc(title)
    ));
    out.push_str(&format!(
        "<rect x=\"{LEFT}\" y=\"{y0}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"#fafafa\" stroke=\"#999\"/>\n"
    ));
    let values = || series.iter().flat_map(|(_, pts)| pts.iter().map(|p| p.1));
    let mut max = values().fold(0.0f64, f64::max).max(1e-12);
    // Prices move by small fractions: zoom on their range instead of from 0.
    let mut min = if unit == "price" {
        values().fold(f64::MAX, f64::min)
    } else {
        0.0
    };
    if unit == "price" {
        let pad = ((max - min) * 0.1).max(max * 0.001);
        min = (min - pad).max(0.0);
        max += pad;
    }
    let span = (max - min).max(1e-12);
    for tick in 0..=4 {
        let v = min + span * tick as f64 / 4.0;
        let y = y0 + plot_h - plot_h * tick as f64 / 4.0;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e5e5e5\"/>\n",
            LEFT - 6.0,
            y + 4.0,
            format_value(v, unit),
            LEFT + plot_w
        ));
    }
    let x_of = |step: usize| LEFT + plot_w * step as f64 / steps.max(1) as f64;
    for (i, (name, pts)) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let path: Vec<String> = pts
            .iter()
            .map(|(s, v)| {
                format!(
                    "{:.1},{:.1}",
                    x_of(*s),
                    y0 + plot_h - plot_h * (v - min) / span
                )
            })
            .collect();
        out.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>\n",
            path.join(" ")
        ));
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>\n",
            LEFT + plot_w - 160.0 + 0.0,
            y0 + 8.0 + 18.0 * i as f64,
            LEFT + plot_w - 142.0,
            y0 + 19.0 + 18.0 * i as f64,
            esc(name)
        ));
    }
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">step</text>\n",
        LEFT + plot_w / 2.0,
        y0 + plot_h + 16.0
    ));
}

fn format_value(v: f64, unit: &str) -> String {
    if unit == "price" {
        format!("{v:.4}")
    } else if v >= 1e9 {
        format!("{:.2}e9", v / 1e9)
    } else if v >= 1e6 {
        format!("{:.2}e6", v / 1e6)
    } else {
        format!("{v:.0}")
    }
}

/// Writes the chart of `report` to `path`.
pub fn write_svg(report: &Report, path: &std::path::Path) -> std::io::Result<()> {
    std::fs::write(path, render(report))
}

/// The chart of `report`, as an SVG document.
pub fn render(report: &Report) -> String {
    let steps = report.steps.len();
    let mut assets_names: Vec<String> = Vec::new();
    for p in &report.series {
        if !assets_names.contains(&p.asset) {
            assets_names.push(p.asset.clone());
        }
    }
    let assets: Vec<(String, Vec<(usize, f64)>)> = assets_names
        .iter()
        .map(|a| {
            let pts = report
                .series
                .iter()
                .filter(|p| &p.asset == a)
                .map(|p| (p.step, p.assets as f64))
                .collect();
            (format!("{a} assets (A)"), pts)
        })
        .collect();
    let prices: Vec<(String, Vec<(usize, f64)>)> = assets_names
        .iter()
        .map(|a| {
            let pts = report
                .series
                .iter()
                .filter(|p| &p.asset == a)
                .map(|p| (p.step, p.price_e9 as f64 / 1e9))
                .collect();
            (format!("{a} share price"), pts)
        })
        .collect();
    let bars = report.waterfalls.len();
    let bar_h = 28.0;
    let height = 30.0 + PANEL_H * 2.0 + 60.0 + (bars.max(1) as f64) * (bar_h + 10.0) + 40.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH} {height:.0}\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    line_panel(
        &mut out,
        10.0,
        "Pool assets (base units) after each step",
        steps,
        &assets,
        "assets",
    );
    line_panel(
        &mut out,
        10.0 + PANEL_H,
        "Share price (assets per share) after each step",
        steps,
        &prices,
        "price",
    );
    let top = 20.0 + PANEL_H * 2.0;
    out.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">Bankruptcy waterfalls</text>\n",
        top + 10.0
    ));
    let legend = [
        ("insurance paid", "#2ca02c"),
        ("socialised", "#ff7f0e"),
        ("unrecovered", "#d62728"),
    ];
    for (i, (label, color)) in legend.iter().enumerate() {
        let x = LEFT + 250.0 + 150.0 * i as f64;
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{label}</text>\n",
            top,
            x + 16.0,
            top + 11.0
        ));
    }
    if bars == 0 {
        out.push_str(&format!(
            "<text x=\"{LEFT}\" y=\"{}\" font-size=\"12\" fill=\"#666\">no bankruptcy was resolved</text>\n",
            top + 40.0
        ));
    }
    // Each bar is one deficit split into its parts (pools differ in units).
    let bar_w = WIDTH - LEFT - RIGHT - 80.0;
    for (i, w) in report.waterfalls.iter().enumerate() {
        let y = top + 26.0 + i as f64 * (bar_h + 10.0);
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">#{} {}/{}</text>\n",
            LEFT + 60.0,
            y + bar_h / 2.0 + 4.0,
            w.step,
            esc(&w.market),
            esc(&w.debtor)
        ));
        let mut x = LEFT + 70.0;
        let deficit = ((w.paid + w.socialised + w.unrecovered) as f64).max(1.0);
        for (value, color) in [
            (w.paid, "#2ca02c"),
            (w.socialised, "#ff7f0e"),
            (w.unrecovered, "#d62728"),
        ] {
            let width = bar_w * value as f64 / deficit;
            if width > 0.0 {
                out.push_str(&format!(
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{bar_h}\" fill=\"{color}\"><title>{value}</title></rect>\n"
                ));
            }
            x += width;
        }
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"white\">paid {} · socialised {} · unrecovered {}</text>\n",
            LEFT + 76.0,
            y + bar_h / 2.0 + 4.0,
            w.paid,
            w.socialised,
            w.unrecovered
        ));
    }
    out.push_str("</svg>\n");
    out
}
