//! The staking page (`web/`, built into `web/dist` by `npm run build:web`),
//! served at `/` beside the JSON-RPC: GET and HEAD requests are files of the
//! built page (server.rs routes them here), or a 404 page that says how to
//! build it.

use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Request, Response, StatusCode};

/// Where the built page is: `BACKSTOP_WEB_DIR` if set; else `web/dist` under
/// the current directory; else the `web/dist` of the repository the binary was
/// built in (`<repo>/target/<profile>/backstop`), so the page is found when the
/// node is started from another directory. When none holds a built page, the
/// first choice is kept so the 404 page names where it looked.
pub fn web_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BACKSTOP_WEB_DIR") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("web/dist");
    if local.join("index.html").is_file() {
        return local;
    }
    let exe = std::env::current_exe().ok();
    let repo = exe
        .as_deref()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .and_then(Path::parent);
    if let Some(built) = repo.map(|r| r.join("web/dist"))
        && built.join("index.html").is_file()
    {
        return built;
    }
    local
}

/// Whether the page is built in `dir` (for the start banner).
pub fn is_built(dir: &Path) -> bool {
    dir.join("index.html").is_file()
}

pub(crate) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file a URL names, relative to the page's directory: `/` is
/// `index.html`; the query (`?rpc=…`) is ignored; any `..`, absolute or
/// otherwise unusual component is refused, so nothing outside the directory is
/// ever read.
fn relative_path(url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let path = path.trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    if path.contains('\\') || path.contains('\0') {
        return None;
    }
    let relative = PathBuf::from(path);
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(relative)
}

fn not_found(dir: &Path, url: &str) -> Response<Cursor<Vec<u8>>> {
    let text = if is_built(dir) {
        format!(
            "404 Not Found: {url} is not a file of the staking page in {}.\n",
            dir.display()
        )
    } else {
        format!(
            "404 Not Found: the staking page is not built (no {}).\n\n\
             Run `npm ci && npm run build:web` in the repository root, then reload this page.\n\
             The node looks in web/dist under its current directory; BACKSTOP_WEB_DIR=DIR \
             points it at another built page.\n",
            dir.join("index.html").display()
        )
    };
    Response::from_string(text).with_status_code(StatusCode(404))
}

/// Answers a GET or HEAD with a file of the built page, or a 404 text page.
pub fn serve(request: Request, dir: &Path) {
    let found = relative_path(request.url()).and_then(|relative| {
        let path = dir.join(relative);
        let bytes = std::fs::read(&path).ok()?;
        Some((content_type(&path), bytes))
    });
    let response = match found {
        Some((kind, bytes)) => Response::from_data(bytes)
            .with_header(header("Content-Type", kind))
            // The page is rebuilt in place during development: always revalidate.
            .with_header(header("Cache-Control", "no-cache")),
        None => not_found(dir, request.url()),
    };
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_files_inside_the_directory_only() {
        assert_eq!(relative_path("/"), Some(PathBuf::from("index.html")));
        assert_eq!(
            relative_path("/?rpc=http://x"),
            Some(PathBuf::from("index.html"))
        );
        assert_eq!(relative_path("/app.js"), Some(PathBuf::from("app.js")));
        assert_eq!(relative_path("/../secret"), None);
        assert_eq!(relative_path("/a/../../b"), None);
        assert_eq!(
            relative_path("//etc/passwd"),
            Some(PathBuf::from("etc/passwd"))
        );
        assert_eq!(relative_path("/a\\..\\b"), None);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type(Path::new("a/app.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("styles.css")),
            "text/css; charset=utf-8"
        );
    }
}
