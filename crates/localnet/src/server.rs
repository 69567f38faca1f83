//! The HTTP side: one loop over tiny_http's requests, routed by method —
//! GET and HEAD are files of the staking page (web.rs), OPTIONS is a CORS
//! preflight, anything else (POST) is JSON-RPC answered by the node — and the
//! CORS and origin rules.

use std::path::Path;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::node::Node;
use crate::web::{self, header};

/// Serves `http` until it stops: the page from `web_dir`, JSON-RPC by `node`
/// (each request answered in turn, on `runtime`). `port` is the HTTP port,
/// for the origin check.
pub(crate) fn serve(
    http: Server,
    node: &mut Node,
    runtime: &tokio::runtime::Runtime,
    web_dir: &Path,
    port: u16,
) {
    loop {
        // Between requests, and every slot while idle, the chain moves on.
        runtime.block_on(node.tick());
        let mut request = match http.recv_timeout(crate::chain::SLOT_DURATION) {
            Ok(Some(request)) => request,
            Ok(None) => continue,
            Err(_) => return,
        };
        match request.method() {
            Method::Get | Method::Head => {
                web::serve(request, web_dir);
                continue;
            }
            Method::Options => {
                preflight(request);
                continue;
            }
            _ => {}
        }
        node.chain.last_request = std::time::Instant::now();
        let trusted = trusted_origin(&request, port);
        let mut body = String::new();
        if request.as_reader().read_to_string(&mut body).is_err() {
            continue;
        }
        let reply = runtime.block_on(node.answer_body(&body, trusted));
        let _ = request.respond(
            Response::from_string(reply.to_string())
                .with_header(header("Content-Type", "application/json"))
                .with_header(allow_any_origin()),
        );
    }
}

fn request_header<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// `Access-Control-Allow-Origin: *` for JSON-RPC answers, as public RPC
/// endpoints send, so a page hosted elsewhere can use this node with `?rpc=`.
fn allow_any_origin() -> Header {
    header("Access-Control-Allow-Origin", "*")
}

/// Whether a request may receive the node keypair's secret key
/// (`backstop_devWallet`): see [`origin_is_trusted`].
fn trusted_origin(request: &Request, port: u16) -> bool {
    // Bound beyond loopback (--bind-address), another machine could ask too.
    let local = request.remote_addr().is_none_or(|a| a.ip().is_loopback());
    local && origin_is_trusted(request_header(request, "Origin"), port)
}

/// A request is trusted when it comes from a local process (no `Origin`) or
/// from a page this node served itself. Any other web page the user has open
/// could otherwise read the key (often `~/.config/solana/id.json`) through
/// CORS, or through a DNS name rebound to 127.0.0.1 (its `Origin` names that
/// host).
fn origin_is_trusted(origin: Option<&str>, port: u16) -> bool {
    match origin {
        None => true,
        Some(origin) => [
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
            format!("http://[::1]:{port}"),
        ]
        .iter()
        .any(|own| own == origin),
    }
}

/// Answers a CORS preflight (browsers send one before a cross-origin JSON POST).
fn preflight(request: Request) {
    let asked = request_header(&request, "Access-Control-Request-Headers")
        .unwrap_or("content-type, solana-client")
        .to_string();
    let response = Response::empty(StatusCode(204))
        .with_header(allow_any_origin())
        .with_header(header("Access-Control-Allow-Methods", "POST, GET, OPTIONS"))
        .with_header(header("Access-Control-Allow-Headers", &asked))
        .with_header(header("Access-Control-Max-Age", "86400"));
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_processes_and_own_pages_are_trusted() {
        assert!(origin_is_trusted(None, 8899));
        assert!(origin_is_trusted(Some("http://127.0.0.1:8899"), 8899));
        assert!(origin_is_trusted(Some("http://localhost:8899"), 8899));
        assert!(origin_is_trusted(Some("http://[::1]:8899"), 8899));
        assert!(!origin_is_trusted(Some("http://127.0.0.1:8900"), 8899));
        assert!(!origin_is_trusted(Some("http://evil.example:8899"), 8899));
        assert!(!origin_is_trusted(Some("https://127.0.0.1:8899"), 8899));
        assert!(!origin_is_trusted(Some("null"), 8899));
    }
}
