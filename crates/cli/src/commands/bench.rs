//! `backstop bench`: runs the sim crate's bench and prints its report
//! (Markdown tables, or JSON), then, with `--compare`, what changed since an
//! earlier report.

use std::path::PathBuf;
use std::process::ExitCode;

use backstop_sim::bench::{self, BenchOptions, BenchReport, compare::compare};

use crate::output::OutputFormat;

pub async fn run(
    mut out: std::fs::File,
    options: BenchOptions,
    earlier: Option<PathBuf>,
    format: OutputFormat,
) -> ExitCode {
    // Read the earlier report first: a bad path fails before a long run.
    let before = match earlier.as_ref().map(read_report).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match bench::run(options).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: the bench failed: {e:#}");
            return ExitCode::from(2);
        }
    };
    let mut over = report.footprint.over_budget();
    if let Some(units) = &report.compute_units {
        over.extend(units.over_budget());
    }
    let comparison = before.as_ref().map(|b| compare(b, &report));
    let display = || {
        let mut text = report.markdown();
        if let Some(c) = &comparison {
            text.push_str(&format!(
                "\n## Compared with {}\n\n{}",
                earlier
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                c.render(report.footprint.instructions.len())
            ));
        }
        text
    };
    let machine = || {
        let mut value = serde_json::to_value(&report).expect("the report serialises");
        if let Some(c) = &comparison {
            value["comparison"] = serde_json::to_value(c).expect("the comparison serialises");
        }
        value
    };
    if !format.write_report(&mut out, display, machine) {
        return ExitCode::from(2);
    }
    for line in &over {
        eprintln!("OVER BUDGET: {line}");
    }
    let grew = comparison.as_ref().map_or(0, |c| c.regressions.len());
    if grew > 0 {
        eprintln!("{grew} footprint figures grew since the earlier report");
    }
    if over.is_empty() && grew == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read_report(path: &PathBuf) -> Result<BenchReport, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let report: BenchReport = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a report of `backstop bench --output json`: {e}",
            path.display()
        )
    })?;
    if report.schema != bench::SCHEMA {
        return Err(format!(
            "{} has schema {}, this backstop writes {}",
            path.display(),
            report.schema,
            bench::SCHEMA
        ));
    }
    Ok(report)
}
