//! The keeper's Prometheus metrics, served as text on `/metrics`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};

/// What the keeper has done since it started.
#[derive(Debug, Default, Clone)]
pub struct Metrics {
    pub resolved: u64,
    pub swept: u64,
    pub synced: u64,
    pub payouts_executed: u64,
    pub passes: u64,
    /// Expected no-ops by reason: sweep_not_due, nothing_to_sync, already_resolved.
    pub noops: BTreeMap<&'static str, u64>,
    /// Errors by name (the program's error name, NodeUnreachable, ...).
    pub errors: BTreeMap<String, u64>,
    /// Unix time of the last pass that completed.
    pub last_success: Option<u64>,
    /// The node's slot at the last pass.
    pub slot: Option<u64>,
    /// Whether the last attempt reached the node.
    pub node_up: bool,
    /// Per pool at the last pass: (shares held as receipt tokens, open
    /// bankruptcy records blocking its exits).
    pub pools: BTreeMap<String, (u64, u32)>,
}

pub type Shared = Arc<Mutex<Metrics>>;

impl Metrics {
    pub fn noop(&mut self, reason: &'static str) {
        *self.noops.entry(reason).or_default() += 1;
    }

    pub fn error(&mut self, name: String) {
        *self.errors.entry(name).or_default() += 1;
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, lines: Vec<String>| {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
            for l in lines {
                out.push_str(&format!("{name}{l}\n"));
            }
        };
        let one = |v: u64| vec![format!(" {v}")];
        metric(
            "backstop_keeper_resolved_total",
            "counter",
            "Bankruptcy records resolved.",
            one(self.resolved),
        );
        metric(
            "backstop_keeper_swept_total",
            "counter",
            "Pool revenue sweeps sent.",
            one(self.swept),
        );
        metric(
            "backstop_keeper_synced_total",
            "counter",
            "Vaults synced: donations moved to revenue, shortfalls written down.",
            one(self.synced),
        );
        metric(
            "backstop_keeper_payouts_executed_total",
            "counter",
            "Governance payouts executed once their timelock passed.",
            one(self.payouts_executed),
        );
        metric(
            "backstop_keeper_passes_total",
            "counter",
            "Passes completed.",
            one(self.passes),
        );
        let reasons = [
            "already_resolved",
            "payout_taken",
            "nothing_to_sync",
            "sweep_not_due",
        ];
        metric(
            "backstop_keeper_noops_total",
            "counter",
            "Expected no-ops, by reason (not errors).",
            reasons
                .iter()
                .map(|r| {
                    format!(
                        "{{reason=\"{r}\"}} {}",
                        self.noops.get(r).copied().unwrap_or(0)
                    )
                })
                .collect(),
        );
        metric(
            "backstop_keeper_errors_total",
            "counter",
            "Errors, by name.",
            self.errors
                .iter()
                .map(|(n, v)| format!("{{error=\"{n}\"}} {v}"))
                .collect(),
        );
        metric(
            "backstop_keeper_last_success_timestamp_seconds",
            "gauge",
            "Unix time of the last completed pass (0: none yet).",
            one(self.last_success.unwrap_or(0)),
        );
        metric(
            "backstop_keeper_node_slot",
            "gauge",
            "The node's slot at the last pass.",
            one(self.slot.unwrap_or(0)),
        );
        metric(
            "backstop_pool_wrapped_shares",
            "gauge",
            "Shares of the pool held as receipt tokens (liquid insurance shares).",
            self.pools
                .iter()
                .map(|(p, (wrapped, _))| format!("{{pool=\"{p}\"}} {wrapped}"))
                .collect(),
        );
        metric(
            "backstop_pool_open_records",
            "gauge",
            "Open bankruptcy records on the markets the pool insures (exits wait: LossPending).",
            self.pools
                .iter()
                .map(|(p, (_, open))| format!("{{pool=\"{p}\"}} {open}"))
                .collect(),
        );
        metric(
            "backstop_keeper_node_up",
            "gauge",
            "1 if the last attempt reached the node.",
            one(self.node_up as u64),
        );
        out
    }
}

/// Serves `/metrics` on `bind`:`port` from a thread.
pub fn serve(bind: std::net::IpAddr, port: u16, metrics: Shared) -> Result<()> {
    let server = tiny_http::Server::http((bind, port))
        .map_err(|e| anyhow!("--metrics-port {port} on {bind}: cannot listen: {e}"))?;
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = if request.url() == "/metrics" {
                let body = metrics.lock().expect("metrics lock").render();
                let header = tiny_http::Header::from_bytes(
                    &b"Content-Type"[..],
                    &b"text/plain; version=0.0.4"[..],
                )
                .expect("header");
                tiny_http::Response::from_string(body).with_header(header)
            } else {
                tiny_http::Response::from_string("see /metrics\n").with_status_code(404)
            };
            let _ = request.respond(response);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_text() {
        let mut m = Metrics {
            resolved: 2,
            slot: Some(40),
            node_up: true,
            ..Default::default()
        };
        m.noop("sweep_not_due");
        m.error("NodeUnreachable".into());
        let text = m.render();
        assert!(text.contains(
            "# TYPE backstop_keeper_resolved_total counter\nbackstop_keeper_resolved_total 2\n"
        ));
        assert!(text.contains("backstop_keeper_noops_total{reason=\"sweep_not_due\"} 1\n"));
        assert!(text.contains("backstop_keeper_noops_total{reason=\"already_resolved\"} 0\n"));
        assert!(text.contains("backstop_keeper_errors_total{error=\"NodeUnreachable\"} 1\n"));
        assert!(text.contains("backstop_keeper_node_slot 40\n"));
        assert!(text.contains("backstop_keeper_node_up 1\n"));
    }
}
