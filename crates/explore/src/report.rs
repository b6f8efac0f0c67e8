//! Reports of a results directory: seed statistics per point, SVG and PNG plots, and `report.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::ExploreError;
use crate::grid::{JobKind, SEED_KEY};
use crate::results::{read_dir, write_atomically, Header, Row};

/// Mean, sample standard deviation, minimum and maximum over the seeds of one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub mean: f64,
    pub std_dev: f64,
    pub min: f64,
    pub max: f64,
}

impl Stats {
    /// Returns the statistics of `values`; the standard deviation is 0 for a single value.
    pub fn of(values: &[f64]) -> Stats {
        let n = values.len().max(1) as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = if values.len() > 1 {
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        Stats {
            mean,
            std_dev: variance.sqrt(),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

/// The rows of one group (equal configuration but for the seed), aggregated.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub kind: JobKind,
    pub group: String,
    /// Axis values without the seed.
    pub values: BTreeMap<String, String>,
    pub seeds: usize,
    pub test_accuracy: Stats,
    pub train_accuracy: Stats,
    pub train_cycles_mean: Option<f64>,
    pub inference_cycles_mean: Option<f64>,
    pub memory_bits: Option<u64>,
    pub synaptic_ops_mean: Option<f64>,
    pub luts: Option<u64>,
    pub fmax_mhz: Option<f64>,
}

/// Groups rows by (kind, group) in order of first appearance and aggregates each group over its seeds.
pub fn summarize(rows: &[Row]) -> Vec<GroupSummary> {
    let mut order: Vec<(JobKind, String)> = Vec::new();
    let mut members: BTreeMap<(JobKind, String), Vec<&Row>> = BTreeMap::new();
    for row in rows {
        let id = (row.kind, row.group.clone());
        if !members.contains_key(&id) {
            order.push(id.clone());
        }
        members.entry(id).or_default().push(row);
    }

    order
        .into_iter()
        .map(|id| {
            let group = &members[&id];
            let first = group[0];
            let mean_of = |f: &dyn Fn(&Row) -> Option<f64>| -> Option<f64> {
                let values: Vec<f64> = group.iter().filter_map(|r| f(r)).collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            };
            let mut values = first.values.clone();
            values.remove(SEED_KEY);
            GroupSummary {
                kind: id.0,
                group: id.1.clone(),
                values,
                seeds: group.len(),
                test_accuracy: Stats::of(&group.iter().map(|r| r.test_accuracy).collect::<Vec<_>>()),
                train_accuracy: Stats::of(&group.iter().map(|r| r.train_accuracy).collect::<Vec<_>>()),
                train_cycles_mean: mean_of(&|r| r.train_cycles_mean),
                inference_cycles_mean: mean_of(&|r| r.inference_cycles_mean),
                memory_bits: first.memory_bits,
                synaptic_ops_mean: mean_of(&|r| r.synaptic_ops_mean),
                luts: first.synth.as_ref().map(|s| s.luts),
                fmax_mhz: first.synth.as_ref().and_then(|s| s.fmax_mhz),
            }
        })
        .collect()
}

/// Returns the indices of the groups on the Pareto front: no other group has lower or equal
/// cost and higher or equal mean accuracy with one of them strictly better.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<usize> {
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| {
            let (cost, accuracy) = points[i];
            !points.iter().any(|&(c, a)| c <= cost && a >= accuracy && (c < cost || a > accuracy))
        })
        .collect();
    front.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
    front
}

/// Writes the plots (SVG and PNG) and `report.md` into `dir`; returns the paths written.
pub fn report(dir: &Path) -> Result<Vec<PathBuf>, ExploreError> {
    let (header, rows) = read_dir(dir)?;
    let groups = summarize(&rows);
    let model: Vec<&GroupSummary> = groups.iter().filter(|g| g.kind == JobKind::Model).collect();
    let references: Vec<&GroupSummary> = groups.iter().filter(|g| g.kind != JobKind::Model).collect();

    let mut plots = Vec::new();
    for axis in numeric_axes(&header, &model) {
        plots.push(accuracy_plot(&axis, &header, &model, &references));
    }
    plots.push(pareto_plot(Cost::MemoryBits, &model, &references));
    plots.push(pareto_plot(Cost::TrainCycles, &model, &references));

    let mut written = Vec::new();
    for plot in &plots {
        written.extend(plot.write(dir)?);
    }

    let markdown = markdown(&header, &rows, &model, &references, &plots);
    let path = dir.join("report.md");
    write_atomically(&path, markdown.as_bytes())?;
    written.push(path);
    Ok(written)
}

/// Axes other than the seed whose values are all integers and that take at least two values.
fn numeric_axes(header: &Header, model: &[&GroupSummary]) -> Vec<String> {
    header
        .axis_keys()
        .into_iter()
        .filter(|key| key != SEED_KEY)
        .filter(|key| {
            let mut seen: Vec<f64> = Vec::new();
            for group in model {
                match group.values.get(key).and_then(|v| v.parse::<i64>().ok()) {
                    Some(v) if !seen.contains(&(v as f64)) => seen.push(v as f64),
                    Some(_) => {}
                    None => return false,
                }
            }
            seen.len() >= 2
        })
        .collect()
}

/// Axes plotted on a log2 scale: every value a power of two, spanning a factor of four or more.
fn is_log2_axis(values: &[f64]) -> bool {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    values.iter().all(|&v| v >= 1.0 && (v as u64).is_power_of_two() && v.fract() == 0.0) && max >= 4.0 * min
}

/// One line (or dashed baseline) of a plot; y values are accuracies in percent.
struct Series {
    label: String,
    color: RGBColor,
    /// (x position, mean, min, max).
    points: Vec<(f64, f64, f64, f64)>,
    dashed: bool,
    /// Draw markers and min-max error bars at the points.
    markers: bool,
    /// Hollow markers (points off the Pareto front).
    hollow: bool,
    /// Join the points with a line.
    joined: bool,
}

struct Plot {
    name: String,
    title: String,
    x_label: String,
    log2_x: bool,
    series: Vec<Series>,
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];
const FLOAT_COLOR: RGBColor = RGBColor(90, 90, 90);
const EXACT_COLOR: RGBColor = RGBColor(0, 0, 0);

fn percent(stats: &Stats) -> (f64, f64, f64) {
    (100.0 * stats.mean, 100.0 * stats.min, 100.0 * stats.max)
}

fn reference_label(kind: JobKind) -> &'static str {
    match kind {
        JobKind::FloatSampled => "float sampled rule",
        _ => "exact backprop (float)",
    }
}

/// Accuracy against one axis, one line per combination of the other axes, references dashed.
fn accuracy_plot(axis: &str, header: &Header, model: &[&GroupSummary], references: &[&GroupSummary]) -> Plot {
    let others: Vec<String> = header
        .grid
        .axes
        .iter()
        .filter(|a| a.key != axis && a.key != SEED_KEY && a.values.len() > 1)
        .map(|a| a.key.clone())
        .collect();
    let x_of = |g: &GroupSummary| g.values.get(axis).and_then(|v| v.parse::<f64>().ok());
    let xs: Vec<f64> = model.iter().filter_map(|g| x_of(g)).collect();
    let log2_x = is_log2_axis(&xs);
    let position = |x: f64| if log2_x { x.log2() } else { x };

    let mut by_series: Vec<(String, Vec<&GroupSummary>)> = Vec::new();
    for group in model {
        let label = others
            .iter()
            .map(|k| format!("{}={}", short_name(k), group.values.get(k).cloned().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", ");
        match by_series.iter_mut().find(|(l, _)| *l == label) {
            Some((_, members)) => members.push(group),
            None => by_series.push((label, vec![group])),
        }
    }

    let span = {
        let positions: Vec<f64> = xs.iter().map(|&x| position(x)).collect();
        let max = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = positions.iter().copied().fold(f64::INFINITY, f64::min);
        (max - min).max(1.0)
    };
    let count = by_series.len();
    let mut series = Vec::new();
    for (s, (label, members)) in by_series.iter().enumerate() {
        // Spread the series a little along x so that their error bars do not overlap.
        let offset = (s as f64 - (count as f64 - 1.0) / 2.0) * 0.012 * span;
        let mut points: Vec<(f64, f64, f64, f64)> = members
            .iter()
            .filter_map(|g| {
                let (mean, min, max) = percent(&g.test_accuracy);
                x_of(g).map(|x| (position(x) + offset, mean, min, max))
            })
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let label = if label.is_empty() { "fixed-point model".to_string() } else { label.clone() };
        series.push(Series {
            label,
            color: PALETTE[s % PALETTE.len()],
            points,
            dashed: false,
            markers: true,
            hollow: false,
            joined: true,
        });
    }

    // A reference line belongs to a series when it agrees with every axis value the two share.
    for kind in [JobKind::FloatSampled, JobKind::FloatExact] {
        let of_kind: Vec<&GroupSummary> = references.iter().copied().filter(|g| g.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let matches = |series_members: &[&GroupSummary]| -> Vec<usize> {
            let sample = series_members[0];
            (0..of_kind.len())
                .filter(|&r| {
                    of_kind[r]
                        .values
                        .iter()
                        .all(|(k, v)| k == axis || sample.values.get(k).is_none_or(|s| s == v))
                })
                .collect()
        };
        let per_series: Vec<Vec<usize>> = by_series.iter().map(|(_, m)| matches(m)).collect();
        let shared = per_series.windows(2).all(|w| w[0] == w[1]);
        let targets: Vec<(String, RGBColor, Vec<usize>)> = if shared {
            let color = if kind == JobKind::FloatExact { EXACT_COLOR } else { FLOAT_COLOR };
            vec![(reference_label(kind).to_string(), color, per_series[0].clone())]
        } else {
            per_series
                .iter()
                .enumerate()
                .map(|(s, refs)| {
                    (format!("{}, {}", reference_label(kind), by_series[s].0), PALETTE[s % PALETTE.len()], refs.clone())
                })
                .collect()
        };

        let x_min = xs.iter().copied().map(position).fold(f64::INFINITY, f64::min);
        let x_max = xs.iter().copied().map(position).fold(f64::NEG_INFINITY, f64::max);
        for (label, color, refs) in targets {
            if refs.is_empty() {
                continue;
            }
            let varies_with_axis = refs.iter().any(|&r| of_kind[r].values.contains_key(axis));
            let mut points: Vec<(f64, f64, f64, f64)> = if varies_with_axis {
                refs.iter()
                    .filter_map(|&r| {
                        let (mean, min, max) = percent(&of_kind[r].test_accuracy);
                        x_of(of_kind[r]).map(|x| (position(x), mean, min, max))
                    })
                    .collect()
            } else {
                let mean = refs.iter().map(|&r| of_kind[r].test_accuracy.mean).sum::<f64>() / refs.len() as f64;
                vec![(x_min, 100.0 * mean, 100.0 * mean, 100.0 * mean), (x_max, 100.0 * mean, 100.0 * mean, 100.0 * mean)]
            };
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            series.push(Series { label, color, points, dashed: true, markers: false, hollow: false, joined: true });
        }
    }

    Plot {
        name: format!("accuracy_vs_{}", axis.replace('.', "_")),
        title: format!("Test accuracy vs {axis}"),
        x_label: if log2_x { format!("{axis} (log2 scale)") } else { axis.to_string() },
        log2_x,
        series,
    }
}

#[derive(Clone, Copy)]
enum Cost {
    MemoryBits,
    TrainCycles,
}

/// Accuracy against a cost for every model point, the Pareto front joined, references dashed.
fn pareto_plot(cost: Cost, model: &[&GroupSummary], references: &[&GroupSummary]) -> Plot {
    let cost_of = |g: &GroupSummary| match cost {
        Cost::MemoryBits => g.memory_bits.map(|b| b as f64),
        Cost::TrainCycles => g.train_cycles_mean,
    };
    let placed: Vec<(&GroupSummary, f64)> = model.iter().filter_map(|g| cost_of(g).map(|c| (*g, c))).collect();
    let front = pareto_front(&placed.iter().map(|(g, c)| (*c, g.test_accuracy.mean)).collect::<Vec<_>>());

    let point = |(g, c): &(&GroupSummary, f64)| {
        let (mean, min, max) = percent(&g.test_accuracy);
        (*c, mean, min, max)
    };
    let on_front: Vec<(f64, f64, f64, f64)> = front.iter().map(|&i| point(&placed[i])).collect();
    let off_front: Vec<(f64, f64, f64, f64)> =
        (0..placed.len()).filter(|i| !front.contains(i)).map(|i| point(&placed[i])).collect();

    let mut series = vec![
        Series {
            label: "Pareto front".to_string(),
            color: PALETTE[3],
            points: on_front,
            dashed: false,
            markers: true,
            hollow: false,
            joined: true,
        },
        Series {
            label: "other points".to_string(),
            color: PALETTE[0],
            points: off_front,
            dashed: false,
            markers: true,
            hollow: true,
            joined: false,
        },
    ];

    let x_min = placed.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let x_max = placed.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    for kind in [JobKind::FloatSampled, JobKind::FloatExact] {
        let best = references
            .iter()
            .filter(|g| g.kind == kind)
            .map(|g| g.test_accuracy.mean)
            .fold(f64::NEG_INFINITY, f64::max);
        if best.is_finite() && x_min.is_finite() {
            let y = 100.0 * best;
            series.push(Series {
                label: format!("best {}", reference_label(kind)),
                color: if kind == JobKind::FloatExact { EXACT_COLOR } else { FLOAT_COLOR },
                points: vec![(x_min, y, y, y), (x_max, y, y, y)],
                dashed: true,
                markers: false,
                hollow: false,
                joined: true,
            });
        }
    }

    let (name, x_label) = match cost {
        Cost::MemoryBits => ("pareto_memory_bits", "memory bits (all on-chip memories)"),
        Cost::TrainCycles => ("pareto_train_cycles", "cycles per training example (mean)"),
    };
    Plot {
        name: name.to_string(),
        title: format!("Test accuracy vs {}", if matches!(cost, Cost::MemoryBits) { "memory" } else { "training cycles" }),
        x_label: x_label.to_string(),
        log2_x: false,
        series,
    }
}

fn short_name(key: &str) -> &str {
    match key {
        "samples.train" => "T",
        "samples.inference" => "T_inf",
        "widths.weight" => "W",
        "network.hidden" => "H",
        "hardware.lanes" => "L",
        other => other.rsplit('.').next().unwrap_or(other),
    }
}

static FONTS: Once = Once::new();

/// Registers the bundled DejaVu Sans for the PNG backend, so plots need no system fonts.
fn register_fonts() {
    FONTS.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold, FontStyle::Italic, FontStyle::Oblique] {
            plotters::style::register_font("sans-serif", style, dejavu::sans::regular())
                .unwrap_or_else(|_| panic!("the bundled DejaVu Sans font parses"));
        }
    });
}

impl Plot {
    /// Writes `NAME.svg` and `NAME.png` into `dir`.
    fn write(&self, dir: &Path) -> Result<Vec<PathBuf>, ExploreError> {
        register_fonts();
        let size = (960, 640);
        let svg = dir.join(format!("{}.svg", self.name));
        let png = dir.join(format!("{}.png", self.name));

        let fail = |path: &Path, message: String| ExploreError::Plot { path: path.to_path_buf(), message };
        {
            let root = SVGBackend::new(&svg, size).into_drawing_area();
            self.draw(&root).map_err(|e| fail(&svg, e))?;
            root.present().map_err(|e| fail(&svg, e.to_string()))?;
        }
        {
            let root = BitMapBackend::new(&png, size).into_drawing_area();
            self.draw(&root).map_err(|e| fail(&png, e))?;
            root.present().map_err(|e| fail(&png, e.to_string()))?;
        }
        Ok(vec![svg, png])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let text = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(text)?;

        let all: Vec<&(f64, f64, f64, f64)> = self.series.iter().flat_map(|s| s.points.iter()).collect();
        if all.is_empty() {
            root.titled(&format!("{}: no rows to plot", self.title), ("sans-serif", 24)).map_err(text)?;
            return Ok(());
        }
        let x_min = all.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let x_max = all.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let y_min = all.iter().map(|p| p.2).fold(f64::INFINITY, f64::min);
        let y_max = all.iter().map(|p| p.3).fold(f64::NEG_INFINITY, f64::max);
        let x_pad = ((x_max - x_min) * 0.06).max(if self.log2_x { 0.3 } else { 0.5 });
        let y_pad = ((y_max - y_min) * 0.08).max(1.0);
        let x_range = (x_min - x_pad)..(x_max + x_pad);
        // Leave room below the data for the legend in the lower right corner, so they never overlap:
        // a legend line is about 20 of the roughly 520 pixels of plot height.
        let legend_share = ((self.series.len() as f64 * 20.0 + 24.0) / 520.0).min(0.6);
        let data_low = y_min - y_pad;
        let data_high = (y_max + y_pad).min(100.0);
        let y_low = data_low - (data_high - data_low) * legend_share / (1.0 - legend_share);
        let y_range = y_low.max(0.0)..data_high;

        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 26))
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(64)
            .build_cartesian_2d(x_range, y_range)
            .map_err(text)?;

        let log2_x = self.log2_x;
        let x_format = move |v: &f64| {
            if log2_x {
                if (v - v.round()).abs() < 1e-6 {
                    format!("{}", 2f64.powi(v.round() as i32))
                } else {
                    String::new()
                }
            } else if v.abs() >= 1e4 {
                format!("{:.0}k", v / 1e3)
            } else if (v - v.round()).abs() < 1e-6 {
                format!("{}", v.round())
            } else {
                // Every plotted x value is an integer, so a fractional tick gets no label.
                String::new()
            }
        };
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc("test accuracy (%)")
            .x_label_formatter(&x_format)
            .y_label_formatter(&|v: &f64| format!("{v:.0}"))
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 18))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(text)?;

        for series in &self.series {
            let color = series.color;
            let line: Vec<(f64, f64)> = series.points.iter().map(|p| (p.0, p.1)).collect();
            let style = ShapeStyle::from(&color).stroke_width(2);

            let legend_style = style;
            let dashed = series.dashed;
            let annotation = if series.dashed {
                chart
                    .draw_series(DashedLineSeries::new(line.clone(), 10, 6, style))
                    .map_err(text)?
            } else if series.joined {
                chart.draw_series(LineSeries::new(line.clone(), style)).map_err(text)?
            } else {
                chart
                    .draw_series(line.iter().map(|&(x, y)| Circle::new((x, y), 5, style)))
                    .map_err(text)?
            };
            annotation.label(series.label.as_str()).legend(move |(x, y)| {
                if dashed {
                    PathElement::new(vec![(x, y), (x + 8, y)], legend_style)
                } else {
                    PathElement::new(vec![(x, y), (x + 20, y)], legend_style)
                }
            });

            if series.markers {
                chart
                    .draw_series(series.points.iter().filter(|p| p.3 > p.2).map(|&(x, _, min, max)| {
                        ErrorBar::new_vertical(x, min, (min + max) / 2.0, max, ShapeStyle::from(&color).stroke_width(1), 8)
                    }))
                    .map_err(text)?;
                let marker = if series.hollow { style } else { style.filled() };
                chart
                    .draw_series(series.points.iter().map(|&(x, y, _, _)| Circle::new((x, y), 4, marker)))
                    .map_err(text)?;
            }
        }

        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 15))
            .draw()
            .map_err(text)?;
        Ok(())
    }
}

fn markdown(
    header: &Header,
    rows: &[Row],
    model: &[&GroupSummary],
    references: &[&GroupSummary],
    plots: &[Plot],
) -> String {
    let mut out = String::new();
    let axes: Vec<String> = header.axis_keys().into_iter().filter(|k| k != SEED_KEY).collect();
    let _ = writeln!(out, "# Sweep report\n");
    let _ = writeln!(
        out,
        "Grid digest `{}`, base configuration digest `{}`; {} of {} jobs present; data set `{}`, {} epoch(s).\n",
        header.grid_digest,
        header.base_digest,
        rows.len(),
        header.jobs,
        header.grid.run.dataset,
        header.grid.run.epochs
    );
    let _ = writeln!(
        out,
        "Accuracies are means over the seeds, with the sample standard deviation and the range [min, max]; \
         the plots draw the range as error bars.\n"
    );

    let _ = writeln!(out, "## Fixed-point model\n");
    let mut columns: Vec<String> = axes.clone();
    columns.extend(
        [
            "seeds",
            "test acc. (%)",
            "std dev",
            "[min, max]",
            "train acc. (%)",
            "cycles/train ex.",
            "cycles/inference",
            "memory bits",
            "synaptic ops/ex.",
        ]
        .map(String::from),
    );
    let with_synth = model.iter().any(|g| g.luts.is_some());
    if with_synth {
        columns.extend(["LUTs", "Fmax (MHz)"].map(String::from));
    }
    table_header(&mut out, &columns);
    for g in model {
        let mut cells: Vec<String> = axes.iter().map(|k| g.values.get(k).cloned().unwrap_or_default()).collect();
        cells.extend(accuracy_cells(g));
        cells.extend([
            g.train_cycles_mean.map(|v| format!("{v:.0}")).unwrap_or_default(),
            g.inference_cycles_mean.map(|v| format!("{v:.0}")).unwrap_or_default(),
            g.memory_bits.map(|v| v.to_string()).unwrap_or_default(),
            g.synaptic_ops_mean.map(|v| format!("{v:.0}")).unwrap_or_default(),
        ]);
        if with_synth {
            cells.push(g.luts.map(|v| v.to_string()).unwrap_or_default());
            cells.push(g.fmax_mhz.map(|v| format!("{v:.1}")).unwrap_or_default());
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }

    if !references.is_empty() {
        let _ = writeln!(out, "\n## Float references\n");
        table_header(
            &mut out,
            &["engine", "configuration", "seeds", "test acc. (%)", "std dev", "[min, max]", "train acc. (%)"].map(String::from),
        );
        for g in references {
            let mut cells = vec![reference_label(g.kind).to_string(), g.group.clone()];
            cells.extend(accuracy_cells(g));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }

    let placed: Vec<(f64, f64)> =
        model.iter().filter_map(|g| g.memory_bits.map(|b| (b as f64, g.test_accuracy.mean))).collect();
    if !placed.is_empty() {
        let _ = writeln!(out, "\n## Pareto front (memory bits vs mean test accuracy)\n");
        for i in pareto_front(&placed) {
            let g = model.iter().filter(|g| g.memory_bits.is_some()).nth(i).expect("index from the same list");
            let _ = writeln!(out, "- {}: {:.2} %, {} bits", g.group, 100.0 * g.test_accuracy.mean, g.memory_bits.unwrap_or(0));
        }
    }

    let _ = writeln!(out, "\n## Plots\n");
    for plot in plots {
        let _ = writeln!(out, "![{}]({}.png) ([SVG]({}.svg))\n", plot.title, plot.name, plot.name);
    }
    out
}

fn table_header(out: &mut String, columns: &[String]) {
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    let _ = writeln!(out, "|{}", columns.iter().map(|_| "---|").collect::<String>());
}

fn accuracy_cells(g: &GroupSummary) -> Vec<String> {
    let test = &g.test_accuracy;
    vec![
        g.seeds.to_string(),
        format!("{:.2}", 100.0 * test.mean),
        format!("{:.2}", 100.0 * test.std_dev),
        format!("[{:.2}, {:.2}]", 100.0 * test.min, 100.0 * test.max),
        format!("{:.2}", 100.0 * g.train_accuracy.mean),
    ]
}
